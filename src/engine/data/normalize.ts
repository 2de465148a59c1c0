import { LitheError } from '../errors';

/** Per-channel normalization applied to 8-bit pixels: `(pixel / scale - mean[c]) / std[c]`. */
export interface Normalization {
  /** Divisor that brings raw pixels to the working range (255 for `0-1`-style presets, 1 for `raw`). */
  scale: number;
  mean: number[];
  std: number[];
}

/** Normalization presets by name. */
export const NORMALIZE_PRESETS: Readonly<Record<string, Normalization>> = {
  '0-1': { scale: 255, mean: [0], std: [1] },
  '-1-1': { scale: 255, mean: [0.5], std: [0.5] },
  imagenet: { scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  raw: { scale: 1, mean: [0], std: [1] },
};

/**
 * Parses a preset name (`0-1`, `-1-1`, `imagenet`, `raw`) or custom values
 * `mean=0.5,0.5,0.5;std=0.25,0.25,0.25` (pixels divided by 255 first; `/` also separates the parts).
 */
export function parseNormalization(text: string): Normalization {
  const preset = NORMALIZE_PRESETS[text];
  if (preset) return preset;
  const parts = Object.fromEntries(
    text.split(/[;/]/).map((part) => {
      const [key, values] = part.split('=');
      return [key?.trim() ?? '', (values ?? '').split(',').map(Number)];
    }),
  );
  const mean = parts['mean'];
  const std = parts['std'];
  if (!mean?.length || !std?.length || [...mean, ...std].some((x) => !Number.isFinite(x)) || std.some((x) => x === 0)) {
    throw new LitheError(
      'invalid-argument',
      `Unknown normalization "${text}": use 0-1, -1-1, imagenet, raw, or mean=…;std=… (per channel, for pixels scaled to 0–1).`,
    );
  }
  return { scale: 255, mean, std };
}

/** Normalizes one 8-bit value of channel `c`. */
export function normalizePixel(value: number, c: number, n: Normalization): number {
  const mean = n.mean[c % n.mean.length] ?? 0;
  const std = n.std[c % n.std.length] ?? 1;
  return (value / n.scale - mean) / std;
}
