import { describe, expect, it } from 'vitest';
import { pruneMagnitude } from '../../../src/engine/compress/passes/prune-magnitude';
import { spendZeros } from '../../../src/engine/compress/prune/allocate-rates';
import { RATE_GRID } from '../../../src/engine/compress/prune/choose-rates';
import { countZeros } from '../../../src/engine/compress/prune/magnitude';
import { readFloats } from '../../../src/engine/compress/weights/float-data';
import { weightLayers } from '../../../src/engine/compress/weights/weight-layers';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { randomFeeds, randomFloats, runOnnx, runPass } from '../passes/graph-builder';
import { convNet, cosine } from './conv-net';

/** Heavy-tailed weights, as trained layers often have: most near zero, one in 16 large. */
function heavyTailed(count: number): Float32Array {
  const values = randomFloats(count, 7);
  return values.map((v, i) => (i % 16 === 0 ? v * 4 : v * 0.02));
}

/** A small conv layer whose weights all matter and a large fc layer whose weights are mostly near zero. */
const sensitiveAndRedundant = (): ReturnType<typeof convNet> => convNet(4, heavyTailed(5120));

async function cosineAfter(distribution: string): Promise<{ cosine: number; zeros: number; total: number; notes: string }> {
  const b = sensitiveAndRedundant();
  const feeds = randomFeeds(b.model);
  const before = Object.values(await runOnnx(encodeOnnx(b.model), feeds))[0]!.data;
  const result = await runPass(pruneMagnitude, b.model, { sparsity: 0.8, distribution, samples: 8 });
  const after = Object.values(await runOnnx(encodeOnnx(b.model), feeds))[0]!.data;
  const layers = weightLayers(b.model);
  const zeros = layers.reduce((n, l) => n + countZeros(readFloats(l.tensor)), 0);
  const total = layers.reduce((n, l) => n + l.tensor.elementCount, 0);
  return { cosine: cosine(before, after), zeros, total, notes: result.notes?.join(' ') ?? '' };
}

describe('sparsity spread by sensitivity', () => {
  it('gives the zeros to the layers that lose least per weight, and stops where layers break', () => {
    const [conv, fc] = weightLayers(sensitiveAndRedundant().model);
    const curves = new Map([
      [conv!, RATE_GRID.map((r) => r * 10)], // 288 weights, expensive
      [fc!, RATE_GRID.map((r) => r * 0.1)], // 5120 weights, cheap
    ]);
    const { rates, reached } = spendZeros([conv!, fc!], curves, 0.8);
    expect(rates.get(conv!)).toBe(0);
    expect(rates.get(fc!)).toBe(0.85);
    expect(reached).toBeGreaterThanOrEqual(0.8);
    const broken = new Map([
      [conv!, RATE_GRID.map((r) => (r > 0.5 ? Infinity : r))],
      [fc!, RATE_GRID.map((r) => (r > 0.5 ? Infinity : r))],
    ]);
    const short = spendZeros([conv!, fc!], broken, 0.8);
    expect(short.reached).toBeCloseTo(0.5, 5);
  });

  it('reaches the model-wide share and keeps the outputs closer than the same share in every layer', async () => {
    const uniform = await cosineAfter('uniform');
    const spread = await cosineAfter('sensitivity');
    expect(spread.zeros / spread.total).toBeGreaterThanOrEqual(0.8);
    expect(uniform.zeros / uniform.total).toBeCloseTo(0.8, 2);
    expect(spread.cosine).toBeGreaterThan(uniform.cosine);
    expect(spread.notes).toMatch(/Rates spread by a sensitivity scan \(\d+ runs on 8 samples/);
  });
});
