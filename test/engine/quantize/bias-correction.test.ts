// Bias correction on a built model whose int8 weights are off on average: one wide output channel
// sets the per-tensor scale, so the small weights of the others round coarsely, and the ReLU before
// makes every input mean positive, so the rounding errors add up to a shift per channel.
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../src/engine/formats/onnx';
import type { Model } from '../../../src/engine/ir/model';
import { roundingShift } from '../../../src/engine/quantize/bias/bias-correct';
import { readLayer } from '../../../src/engine/quantize/equalize/layer-weights';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { GraphBuilder, randomFloats, runOnnx } from '../passes/graph-builder';
import { syntheticData } from './tiny-models';

/** x[1,4,6,6] → Conv 1×1 (32) → Relu → Conv 1×1 (8, output channel 0 ×40). */
function shiftedCnn(): Model {
  const b = new GraphBuilder(13);
  const x = b.input('x', [1, 4, 6, 6]);
  const h = b.op('Relu', [b.op('Conv', [x, b.weight('w1', [32, 4, 1, 1]), b.weight('b1', [32])], {}, 'conv1')]);
  const w2 = randomFloats(8 * 32, 5).map((v, e) => (e < 32 ? v * 40 : v));
  b.output(b.op('Conv', [h, b.weight('w2', [8, 32, 1, 1], w2), b.weight('b2', [8])], {}, 'conv2'), [1, 8, 6, 6]);
  return b.model;
}

/** Root mean square over output channels 1…7 of each channel's mean error. */
function channelMeanError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const positions = 36;
  let sum = 0;
  for (let c = 1; c < 8; c++) {
    let d = 0;
    for (let p = 0; p < positions; p++) d += Number(a[c * positions + p]) - Number(b[c * positions + p]);
    sum += (d / positions) ** 2;
  }
  return Math.sqrt(sum / 7);
}

describe('bias correction', () => {
  it('computes the mean output shift of rounded weights per output channel', () => {
    const model = shiftedCnn();
    const layer = readLayer(
      model.graph,
      model.graph.nodes.find((n) => n.outputs[0]?.name === 'conv2')!,
    )!;
    const shift = roundingShift(layer, undefined, new Float64Array(32).fill(1));
    // with every input mean 1 the shift of a channel is the sum of its rounding errors
    const scale = Math.max(...Array.from(layer.weight, Math.abs)) / 127;
    const errors = Array.from(layer.weight.subarray(32, 64), (w) => Math.round(w / scale) * scale - w);
    expect(shift[1]).toBeCloseTo(
      errors.reduce((a, b) => a + b, 0),
      5,
    );
  });

  it('takes the mean shift of per-tensor int8 weights out of the bias', async () => {
    const reference = shiftedCnn();
    const feeds = {
      x: new ort.Tensor(
        'float32',
        randomFloats(144, 9).map((v) => (v + 1) / 2),
        [1, 4, 6, 6],
      ),
    };
    const want = (await runOnnx(encodeOnnx(reference), feeds)).conv2!.data as Float32Array;
    const meanError = async (biasCorrection: boolean): Promise<number> => {
      const m = decodeOnnx(encodeOnnx(reference));
      const data = syntheticData([4, 6, 6], 32);
      const r = await staticInt8.run(m, staticInt8.options.parse({ perChannel: false, samples: 32, biasCorrection }), { data });
      expect(r.notes?.some((n) => n.startsWith('Bias correction: 2 layer(s)'))).toBe(biasCorrection);
      return channelMeanError((await runOnnx(encodeOnnx(m), feeds)).conv2!.data as Float32Array, want);
    };
    const plain = await meanError(false);
    const corrected = await meanError(true);
    expect(corrected).toBeLessThan(plain / 3);
  });
});
