import { describe, expect, it } from 'vitest';
import { pruneMagnitude } from '../../../src/engine/compress/passes/prune-magnitude';
import { countZeros } from '../../../src/engine/compress/prune/magnitude';
import { readFloats } from '../../../src/engine/compress/weights/float-data';
import { weightLayers } from '../../../src/engine/compress/weights/weight-layers';
import { runPass } from '../passes/graph-builder';
import { convNet } from './conv-net';

describe('prune-magnitude with rates given as numbers', () => {
  it('says when the rate breaks the model, with the highest per-layer rate that keeps it', async () => {
    const b = convNet(2);
    const result = await runPass(pruneMagnitude, b.model, { sparsity: 0.98, samples: 8 });
    const notes = result.notes?.join(' ') ?? '';
    expect(result.stats?.worstCosine).toBeLessThan(0.5);
    expect(notes).toMatch(
      /98 % of the weights in every layer pruned at once break this model: the worst output cosine is -?\d\.\d{4} on 8 random samples/,
    );
    expect(notes).toMatch(/At most \d+ % per layer keeps it \(cosine 0\.\d{4}\)/);
    expect(notes).toMatch(/keep this result anyway .*--keep-beyond-tolerance/);
    // The model is left pruned as asked: the pipeline judges (and undoes) the step.
    for (const layer of weightLayers(b.model))
      expect(countZeros(readFloats(layer.tensor)) / layer.tensor.elementCount).toBeGreaterThan(0.97);
  });

  it('only measures a rate that holds', async () => {
    const b = convNet(2);
    const result = await runPass(pruneMagnitude, b.model, { sparsity: 0.3, samples: 8 });
    expect(result.stats?.worstCosine).toBeGreaterThan(0.5);
    expect(result.notes?.join(' ')).not.toMatch(/break this model/);
  });
});
