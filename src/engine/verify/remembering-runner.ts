import { createHash } from 'node:crypto';
import type { ModelRunner, RunnerTensor } from './model-runner';

function keyOf(feeds: readonly RunnerTensor[]): string {
  const hash = createHash('sha1');
  for (const feed of feeds) {
    hash.update(
      `${feed.data.constructor.name}[${feed.dims.join(',')}]${feed.quant ? `q${feed.quant.scale},${feed.quant.zeroPoint}` : ''};`,
    );
    hash.update(new Uint8Array(feed.data.buffer, feed.data.byteOffset, feed.data.byteLength));
  }
  return hash.digest('hex');
}

/**
 * `runner`, answering feeds it has seen before (same types, shapes and bytes) from memory instead of running again.
 * For a reference model that every candidate is compared with on the same samples: it then runs once per sample,
 * not once per candidate. Outputs are kept for the runner's lifetime, up to `maxBytes` of them: feeds seen after that
 * run again each time.
 */
export function rememberingRunner(runner: ModelRunner, maxBytes = Infinity): ModelRunner {
  const seen = new Map<string, RunnerTensor[]>();
  let kept = 0;
  return {
    runtime: runner.runtime,
    inputs: runner.inputs,
    outputs: runner.outputs,
    stateful: runner.stateful,
    ...(runner.fixedBatch !== undefined ? { fixedBatch: runner.fixedBatch } : {}),
    sampleFeeds: (seed) => runner.sampleFeeds(seed),
    async run(feeds) {
      const key = keyOf(feeds);
      const known = seen.get(key);
      if (known) return known;
      const outputs = await runner.run(feeds);
      const bytes = outputs.reduce((sum, o) => sum + o.data.byteLength, 0);
      if (kept + bytes <= maxBytes) {
        seen.set(key, outputs);
        kept += bytes;
      }
      return outputs;
    },
    dispose: () => {
      seen.clear();
      kept = 0;
      return runner.dispose();
    },
  };
}
