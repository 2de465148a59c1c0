import type { Progress } from '../contract';

/** A one-line progress bar on stderr when it is a terminal; silent otherwise. */
export function progressBar(label: string): { update: (progress: Progress) => void; done: () => void } {
  const stream = process.stderr;
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = '';
  return {
    update(progress) {
      const width = 28;
      const fraction = Math.min(1, Math.max(0, progress.fraction ?? 0));
      const filled = Math.round(fraction * width);
      const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${progress.message ?? progress.stage}`;
      const clipped = line.slice(0, Math.max(20, (stream.columns ?? 100) - 1));
      if (clipped !== last) stream.write(`\r\x1b[K${clipped}`);
      last = clipped;
    },
    done() {
      if (last) stream.write('\r\x1b[K');
    },
  };
}
