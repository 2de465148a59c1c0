import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import type { Model } from '../../../src/engine/ir/model';
import { int4Qat, int8Qat } from '../../../src/engine/train/qat/qat-pass';
import { fakeQuantize } from '../../../src/engine/train/qat/fake-quant';
import type { Samples } from '../../../src/engine/train/samples';
import { inferShapes } from '../../../src/engine/ir/shape-inference';
import { calibrateRanges } from '../../../src/engine/quantize/calibrate';
import { applyStaticQdq } from '../../../src/engine/quantize/onnx/apply-qdq';
import { tensorsToQuantize } from '../../../src/engine/quantize/onnx/quantizable';
import { cloneModel } from '../../../src/engine/train/training-graph';
import { decodeTflite, encodeTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { openRunner } from '../../../src/engine/verify/verifier';
import { seededRandom } from '../../../src/engine/util/seeded-random';
import { fullyConnectedModel } from '../helpers/tflite-builders';
import { sourceOf, tinyClassifier, tinySamples } from './tiny-task';

async function accuracy(model: Model, samples: Samples): Promise<number> {
  const session = await ort.InferenceSession.create(encodeOnnx(model));
  const out = await session.run({ image: new ort.Tensor('float32', samples.data, [samples.count, ...samples.sampleDims]) });
  await session.release();
  const scores = Object.values(out)[0]!.data as Float32Array;
  let correct = 0;
  for (let n = 0; n < samples.count; n++) if ((scores[2 * n + 1]! > scores[2 * n]! ? 1 : 0) === samples.labels![n]) correct++;
  return correct / samples.count;
}

const ops = (model: Model): string[] => model.graph.nodes.map((n) => n.opType);

describe('quantization-aware training', { timeout: 60_000 }, () => {
  it('int8: trains with fake quantization and writes an int8 QDQ model that keeps the accuracy', async () => {
    const model = tinyClassifier();
    const train = tinySamples(200);
    const result = await int8Qat.run(model, int8Qat.options.parse({ epochs: 2, lr: 0.01, threads: 1, calibrationSamples: 64 }), {
      data: sourceOf(train),
    });
    expect(result.changed).toBe(true);
    expect(result.stats['layersQuantized']).toBe(2);
    expect(ops(model)).toContain('QuantizeLinear');
    expect(model.graph.initializers.some((t) => t.dtype === 'int8')).toBe(true);
    expect(await accuracy(model, tinySamples(100, 9))).toBeGreaterThanOrEqual(0.95);
  });

  it('int8 without labels learns from the float model (distillation) and says so', async () => {
    const model = tinyClassifier();
    const result = await int8Qat.run(model, int8Qat.options.parse({ epochs: 1, threads: 1, calibrationSamples: 32 }), {
      data: sourceOf(tinySamples(64), false),
    });
    expect(result.notes?.join(' ')).toMatch(/no labels: the float model taught/);
  });

  it('int4: matrix weights trained in 4-bit blocks and written as MatMulNBits', async () => {
    const model = tinyClassifier();
    const result = await int4Qat.run(model, int4Qat.options.parse({ epochs: 1, lr: 0.01, threads: 1, blockSize: 16, minElements: 16 }), {
      data: sourceOf(tinySamples(96)),
    });
    expect(result.stats['layersQuantized']).toBe(1);
    expect(ops(model)).toContain('MatMulNBits');
    expect(await accuracy(model, tinySamples(100, 9))).toBeGreaterThanOrEqual(0.9);
  });

  it('fake-quantized weights take the grid of the export: int4 blocks with their own scales and zero points', async () => {
    const model = tinyClassifier();
    const fq = fakeQuantize(model, { activations: new Map(), weights: { kind: 'int4', blockSize: 16, minElements: 16 } });
    const w = Float32Array.from(model.graph.initializers.find((t) => t.name === 'fc.w')!.toTypedArray() as Float32Array);
    const feeds = fq.stepInputs(new Map([['fc.w', w]]));
    expect(Object.keys(feeds).sort()).toEqual(['qat/fc.w_q4_scale', 'qat/fc.w_q4_zero']);
    // 2 output columns × ⌈27 / 16⌉ blocks.
    expect(feeds['qat/fc.w_q4_scale']!.dims).toEqual([4]);
    expect(fq.weightsQuantized).toBe(1);
  });

  it('int8 fake quantization computes what the exported int8 model computes', async () => {
    const model = tinyClassifier();
    inferShapes(model);
    const samples = tinySamples(32);
    const names = tensorsToQuantize(model.graph, []).map((v) => v.name);
    const ranges = await calibrateRanges(model, names, sourceOf(samples), { method: 'minmax', percentile: 100, samples: 32 });
    const fq = fakeQuantize(model, { activations: ranges, weights: { kind: 'int8' } });
    const weights = new Map(model.graph.initializers.map((t) => [t.name, Float32Array.from(t.toTypedArray() as Float32Array)]));
    const image = new ort.Tensor('float32', samples.data, [32, 1, 6, 6]);
    const run = async (m: Model, extra: Record<string, ort.Tensor>): Promise<Float32Array> => {
      const session = await ort.InferenceSession.create(encodeOnnx(m));
      const out = await session.run({ image, ...extra });
      await session.release();
      return Object.values(out)[0]!.data as Float32Array;
    };
    const simulated = await run(fq.model, fq.stepInputs(weights));
    const exported = cloneModel(model);
    applyStaticQdq(exported, ranges, { activationType: 'uint8', symmetricActivations: false, perChannel: true, exclude: [] });
    const real = await run(exported, {});
    const scale = Math.max(...Array.from(real, Math.abs));
    const worst = Math.max(...Array.from(real, (v, i) => Math.abs(v - simulated[i]!)));
    expect(worst / scale).toBeLessThan(0.02);
  });

  it('int8 on a TFLite model trains its ONNX form and writes int8 TFLite that runs', async () => {
    const random = seededRandom(4);
    const weights = [Array.from({ length: 4 }, () => random() - 0.5), Array.from({ length: 4 }, () => random() - 0.5)];
    const model = decodeTflite(writeTflite(fullyConnectedModel(weights, [0.1, 0.1])));
    const count = 64;
    const data = Float32Array.from({ length: count * 4 }, () => random());
    const labels = Int32Array.from({ length: count }, (_, n) => (data[n * 4]! > data[n * 4 + 1]! ? 1 : 0));
    const samples: Samples = { description: 'points', data, labels, count, sampleDims: [4], size: 4 };
    const result = await int8Qat.run(model, int8Qat.options.parse({ epochs: 1, lr: 0.01, threads: 1, calibrationSamples: 32 }), {
      data: sourceOf(samples),
    });
    expect(model.format).toBe('tflite');
    // Full integer when the round trip through ONNX gives operators the integer quantizer handles, hybrid otherwise — the notes say which.
    expect(result.notes?.join(' ')).toMatch(/Full integer TFLite|Hybrid instead of full integer/);
    expect(model.graph.initializers.some((t) => t.dtype === 'int8')).toBe(true);
    const runner = await openRunner(encodeTflite(model), 'tflite', 'the QAT model');
    const out = await runner.run(runner.sampleFeeds(1));
    await runner.dispose();
    expect(out[0]!.dims).toEqual([1, 2]);
  });

  it('needs data', async () => {
    await expect(int8Qat.run(tinyClassifier(), int8Qat.options.parse({}), {})).rejects.toThrow(/needs training data/);
  });
});
