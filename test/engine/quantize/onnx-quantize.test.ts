import { describe, expect, it } from 'vitest';
import { compareOnData } from '../../../src/engine/evaluate/compare-on-data';
import { decodeOnnx, encodeOnnx } from '../../../src/engine/formats/onnx';
import { dynamicInt8 } from '../../../src/engine/quantize/dynamic-int8';
import { float16 } from '../../../src/engine/quantize/float16';
import { int4Weights } from '../../../src/engine/quantize/int4-weights';
import { mixedPrecision } from '../../../src/engine/quantize/mixed-precision';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { createOrtRunner } from '../../../src/engine/verify/ort-runner';
import { bytesOf, syntheticData, tinyCnn, tinyMlp } from './tiny-models';

async function fidelity(reference: Uint8Array, candidate: Uint8Array, dims: number[]) {
  const a = await createOrtRunner(reference, { role: 'reference' });
  const b = await createOrtRunner(candidate, { role: 'candidate' });
  try {
    return (await compareOnData({ runner: b }, { runner: a }, syntheticData(dims, 64, 9))).fidelity!;
  } finally {
    await a.dispose();
    await b.dispose();
  }
}

const ops = (bytes: Uint8Array): string[] => decodeOnnx(bytes).graph.nodes.map((n) => n.opType);
/** Bytes of all initializers (tiny test graphs are dominated by graph structure, not weights). */
const weightBytes = (bytes: Uint8Array): number => decodeOnnx(bytes).graph.initializers.reduce((n, t) => n + t.byteLength, 0);

describe('ONNX quantization passes', () => {
  it('static int8 writes QDQ with int8 per-channel weights and int32 biases, and stays close', async () => {
    const b = tinyCnn();
    const before = bytesOf(b);
    const result = await staticInt8.run(b.model, staticInt8.options.parse({ calibration: 'minmax' }), {
      data: syntheticData([1, 8, 8], 128),
    });
    expect(result.stats.layersQuantized).toBe(2);
    const after = encodeOnnx(b.model);
    expect(ops(after)).toContain('QuantizeLinear');
    const inits = decodeOnnx(after).graph.initializers;
    expect(inits.find((t) => t.name === 'w1_quantized')?.dtype).toBe('int8');
    expect(inits.find((t) => t.name === 'w1_scale')?.dims).toEqual([4]);
    expect(inits.find((t) => t.name === 'b2_quantized')?.dtype).toBe('int32');
    expect(inits.some((t) => t.dtype === 'float32' && t.elementCount > 16)).toBe(false);
    const f = await fidelity(before, after, [1, 8, 8]);
    expect(f.cosine).toBeGreaterThan(0.999);
    expect(f.top1Agreement).toBeGreaterThan(0.9);
  });

  it.each(['percentile', 'entropy'] as const)('static int8 calibrates with %s', async (calibration) => {
    const b = tinyCnn();
    const before = bytesOf(b);
    await staticInt8.run(b.model, staticInt8.options.parse({ calibration, percentile: 99.9, exclude: ['logits'] }), {
      data: syntheticData([1, 8, 8], 64),
    });
    const after = encodeOnnx(b.model);
    expect(decodeOnnx(after).graph.nodes.find((n) => n.opType === 'Gemm')?.inputs[1]?.name).toBe('w2');
    expect((await fidelity(before, after, [1, 8, 8])).cosine).toBeGreaterThan(0.99);
  });

  it('dynamic int8 uses DynamicQuantizeLinear with MatMulInteger/ConvInteger', async () => {
    for (const make of [tinyCnn, tinyMlp]) {
      const b = make();
      const before = bytesOf(b);
      await dynamicInt8.run(b.model, dynamicInt8.options.parse({ ops: ['MatMul', 'Gemm', 'Conv'] }), {});
      const after = encodeOnnx(b.model);
      expect(ops(after)).toContain('DynamicQuantizeLinear');
      expect(ops(after).some((op) => op === 'MatMulInteger' || op === 'ConvInteger')).toBe(true);
      expect(weightBytes(after)).toBeLessThan(weightBytes(before) * 0.3);
      const dims = make === tinyCnn ? [1, 8, 8] : [64];
      expect((await fidelity(before, after, dims)).cosine).toBeGreaterThan(0.999);
    }
  });

  it('dynamic int8 by default stores Conv weights int8 (weights-only) and says which layers stay float', async () => {
    const b = tinyCnn();
    const before = bytesOf(b);
    const r = await dynamicInt8.run(b.model, dynamicInt8.options.parse({ exclude: ['logits'] }), {});
    expect(r.stats).toMatchObject({ layersQuantized: 1, layersInFloat: 1 });
    expect((r.notes ?? []).join(' ')).toContain('1 layer(s) store int8 weights that are expanded to float');
    expect(r.skipped?.map((s) => s.reason)).toEqual(['kept in float by the recipe']);
    const after = encodeOnnx(b.model);
    const model = decodeOnnx(after);
    expect(model.graph.nodes.find((n) => n.opType === 'Conv')?.inputs[1]?.producer?.opType).toBe('DequantizeLinear');
    expect(model.graph.initializers.find((t) => t.name === 'w1_quantized')?.dtype).toBe('int8');
    expect(model.graph.initializers.find((t) => t.name === 'w1_scale')?.dims).toEqual([4]);
    expect((await fidelity(before, after, [1, 8, 8])).cosine).toBeGreaterThan(0.999);
    const none = tinyCnn();
    const unchanged = await dynamicInt8.run(none.model, dynamicInt8.options.parse({ ops: ['MatMul'] }), {});
    expect(unchanged.changed).toBe(false);
    expect((unchanged.notes ?? []).join(' ')).toContain('unchanged');
    expect(unchanged.skipped?.map((s) => s.reason)).toEqual([
      "Conv is not among the recipe's layer types (ops)",
      "Gemm is not among the recipe's layer types (ops)",
    ]);
  });

  it('float16 halves the weights and keeps float32 inputs and outputs', async () => {
    const b = tinyCnn();
    const before = bytesOf(b);
    const r = await float16.run(b.model, float16.options.parse({}), {});
    const after = encodeOnnx(b.model);
    const model = decodeOnnx(after);
    expect(r.stats.tensorsConverted).toBeGreaterThan(0);
    expect(model.graph.initializers.every((t) => t.dtype === 'float16')).toBe(true);
    expect(model.graph.inputs[0]?.type).toMatchObject({ dtype: 'float32' });
    expect(model.graph.outputs[0]?.type).toMatchObject({ dtype: 'float32' });
    expect(weightBytes(after)).toBe(weightBytes(before) / 2);
    expect((await fidelity(before, after, [1, 8, 8])).cosine).toBeGreaterThan(0.9999);
  });

  it('float16 converts weights that an old model also lists as inputs, and says so', async () => {
    const b = tinyCnn();
    b.model.irVersion = 3;
    const weights = b.model.graph.initializers.map((t) => b.model.graph.ownValue(t.name)!);
    b.model.graph.inputs = [...b.model.graph.inputs, ...weights];
    const before = bytesOf(b);
    const r = await float16.run(b.model, float16.options.parse({}), {});
    expect(r.stats.tensorsConverted).toBe(4);
    expect((r.notes ?? []).join(' ')).toContain('4 weight(s) were also listed as model inputs');
    const model = decodeOnnx(encodeOnnx(b.model));
    expect(model.graph.inputs.map((v) => v.name)).toEqual(['x']);
    expect(model.graph.initializers.every((t) => t.dtype === 'float16')).toBe(true);
    expect((await fidelity(before, encodeOnnx(b.model), [1, 8, 8])).cosine).toBeGreaterThan(0.9999);
  });

  it('float16 weights mode stores float16 behind Casts', async () => {
    const b = tinyMlp();
    const before = bytesOf(b);
    await float16.run(b.model, float16.options.parse({ mode: 'weights' }), {});
    const after = encodeOnnx(b.model);
    expect(ops(after).filter((op) => op === 'Cast')).toHaveLength(2);
    expect((await fidelity(before, after, [64])).cosine).toBeGreaterThan(0.9999);
  });

  it('int4 packs MatMul weights into MatMulNBits blocks', async () => {
    const b = tinyMlp();
    const before = bytesOf(b);
    const r = await int4Weights.run(b.model, int4Weights.options.parse({ blockSize: 16, minElements: 0 }), {});
    expect(r.stats.layersQuantized).toBe(2);
    const after = encodeOnnx(b.model);
    const model = decodeOnnx(after);
    const node = model.graph.nodes.find((n) => n.opType === 'MatMulNBits');
    expect(node?.domain).toBe('com.microsoft');
    expect(node?.int('bits', 0)).toBe(4);
    expect(model.graph.initializers.find((t) => t.name === 'w1_q4')?.dims).toEqual([48, 4, 8]);
    expect(weightBytes(after)).toBeLessThan(weightBytes(before) * 0.2);
    // Uniform random weights are the hardest case for 4 bits; trained weights do better.
    expect((await fidelity(before, after, [64])).cosine).toBeGreaterThan(0.97);
  });
});

describe('mixed precision', () => {
  it('keeps the most sensitive layers in float until the target holds, and names them', async () => {
    const b = tinyCnn();
    const r = await mixedPrecision.run(
      b.model,
      mixedPrecision.options.parse({ metric: 'cosine', target: 0.99999999, evalSamples: 32, samples: 32 }),
      { data: syntheticData([1, 8, 8], 32) },
    );
    expect(r.stats.layersMeasured).toBe(2);
    expect(r.stats.layersInFloat).toBeGreaterThan(0);
    expect((r.notes ?? []).join(' ')).toMatch(/Kept in float.*(Conv|Gemm)_/);
    expect(r.skipped).toHaveLength(r.stats.layersInFloat!);
    expect(r.skipped?.[0]?.reason).toMatch(/^kept in float: quantized alone, it moved the result by \d\.\d{4}/);
  }, 60_000);

  it('keeps nothing in float when full int8 already meets the target', async () => {
    const b = tinyCnn();
    const r = await mixedPrecision.run(
      b.model,
      mixedPrecision.options.parse({ metric: 'cosine', target: 0.9, evalSamples: 32, samples: 32 }),
      { data: syntheticData([1, 8, 8], 32) },
    );
    expect(r.stats.layersInFloat).toBe(0);
    expect(r.skipped).toEqual([]);
    expect(ops(encodeOnnx(b.model))).toContain('QuantizeLinear');
  }, 60_000);

  it('stores the weights of a layer kept in float as float16, and leaves the QDQ scales float32', async () => {
    const b = tinyCnn();
    const r = await mixedPrecision.run(
      b.model,
      mixedPrecision.options.parse({ metric: 'cosine', target: 0.9, evalSamples: 32, samples: 32, exclude: ['logits'] }),
      { data: syntheticData([1, 8, 8], 32) },
    );
    expect((r.notes ?? []).join(' ')).toMatch(/weights left in float are stored in float16 \(1 tensors\)/);
    const out = decodeOnnx(encodeOnnx(b.model));
    const halves = out.graph.initializers.filter((t) => t.dtype === 'float16');
    expect(halves.map((t) => t.dims)).toEqual([[5, 64]]); // the Gemm's weights; its bias has 5 values
    const scales = out.graph.nodes.filter((n) => n.opType === 'DequantizeLinear').map((n) => n.inputs[1]);
    expect(scales.every((v) => v?.initializer?.dtype === 'float32')).toBe(true);
    expect(ops(encodeOnnx(b.model))).toEqual(expect.arrayContaining(['QuantizeLinear', 'Cast']));
  }, 60_000);

  it('also when the weights are listed as graph inputs (IR < 4), as the fp16 step does', async () => {
    const b = tinyCnn();
    const graph = b.model.graph;
    for (const t of graph.initializers) {
      const v = graph.ownValue(t.name);
      if (v) graph.inputs.push(v);
    }
    const r = await mixedPrecision.run(
      b.model,
      mixedPrecision.options.parse({ metric: 'cosine', target: 0.9, evalSamples: 32, samples: 32, exclude: ['logits'] }),
      { data: syntheticData([1, 8, 8], 32) },
    );
    expect((r.notes ?? []).join(' ')).toMatch(/weights left in float are stored in float16 \(1 tensors\)/);
    expect(decodeOnnx(encodeOnnx(b.model)).graph.initializers.filter((t) => t.dtype === 'float16')).toHaveLength(1);
  }, 60_000);
});
