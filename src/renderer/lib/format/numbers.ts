const grouped = new Intl.NumberFormat('en-US');

/** A count with thousands separators: "133,665". */
export function formatCount(value: number): string {
  return grouped.format(Math.round(value));
}

/** A large number people read at a glance: "76.1 million", "1.2 billion". */
export function formatLarge(value: number): string {
  const steps: [number, string][] = [
    [1e12, 'trillion'],
    [1e9, 'billion'],
    [1e6, 'million'],
    [1e3, 'thousand'],
  ];
  for (const [size, word] of steps) if (value >= size) return `${(value / size).toFixed(value / size < 10 ? 1 : 0)} ${word}`;
  return formatCount(value);
}

/** Milliseconds with sensible precision: "0.42 ms", "13.1 ms", "1,240 ms". */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${formatCount(ms)} ms`;
}

/** A fraction as a percentage: 0.231 → "23.1 %". */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A relative difference in scientific notation when tiny: 3.3e-6 → "0.00033 %". */
export function formatRelative(value: number): string {
  if (value === 0) return 'identical';
  const percent = value * 100;
  return `${percent < 0.01 ? percent.toPrecision(2) : percent.toFixed(2)} %`;
}

/** A similarity of outputs (cosine, where 1 is identical) with the digits that matter: "0.9990", "0.999996". */
export function formatSimilarity(cosine: number): string {
  if (cosine >= 0.9999995 && cosine < 1) return 'above 0.999999';
  return cosine.toFixed(cosine >= 0.9999 ? 6 : 4);
}

/** A date and time in the user's locale, short. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A tensor shape: [1, 3, 224, 224] → "1 × 3 × 224 × 224"; unknown → "unknown". */
export function formatShape(shape: readonly (number | string | null)[] | null): string {
  if (!shape) return 'unknown';
  if (shape.length === 0) return 'scalar';
  return shape.map((dim) => (dim === null ? '?' : String(dim))).join(' × ');
}
