import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeOnnx, dtypeToOnnx } from '../../../src/engine/formats/onnx';
import { Tensor } from '../../../src/engine/ir/tensor';
import { intAttr } from '../../../src/engine/quantize/onnx/graph-edit';
import { dynamicInt8 } from '../../../src/engine/quantize/dynamic-int8';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { toHalfBits } from '../../../src/engine/util/half-float';
import { GraphBuilder, randomFloats, runOnnx } from '../passes/graph-builder';
import { bytesOf, syntheticData } from './tiny-models';

const half = (name: string, dims: number[], seed: number): Tensor => {
  const n = dims.reduce((a, b) => a * b, 1);
  return new Tensor(name, 'float16', dims, new Uint8Array(Uint16Array.from(randomFloats(n, seed), toHalfBits).buffer));
};

// A model that computes in float16 behind float32 inputs and outputs, as float16 converters write it:
// x ─ Cast(f16) ─ MatMul(W1) ─ Add(b) ─ Relu ─ MatMul(W2) ─ Mul(gamma) ─ Cast(f32) ─ y
function float16Mlp(): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', ['N', 32]);
  const h = b.op('Cast', [x], { to: intAttr('to', dtypeToOnnx('float16')).value });
  const w1 = b.initializer(half('w1', [32, 32], 1));
  const bias = b.initializer(half('bias', [32], 2));
  const r = b.op('Relu', [b.op('Add', [b.op('MatMul', [h, w1]), bias])]);
  const gamma = b.initializer(half('gamma', [16], 3));
  const y16 = b.op('Mul', [b.op('MatMul', [r, b.initializer(half('w2', [32, 16], 4))]), gamma]);
  b.output(b.op('Cast', [y16], { to: intAttr('to', dtypeToOnnx('float32')).value }, 'y'), ['N', 16]);
  return b;
}

const weightTypes = (bytes: Uint8Array): Record<string, string> =>
  Object.fromEntries(
    decodeOnnx(bytes)
      .graph.initializers.filter((t) => t.elementCount >= 16 && !t.name.endsWith('_scale'))
      .map((t) => [t.name, t.dtype]),
  );

async function closeness(before: Uint8Array, b: GraphBuilder): Promise<number> {
  // inputs in [0, 1), as the calibration data
  const feeds = {
    x: new ort.Tensor(
      'float32',
      Float32Array.from(randomFloats(4 * 32, 5), (v) => (v + 1) / 2),
      [4, 32],
    ),
  };
  const [want, got] = [await runOnnx(before, feeds), await runOnnx(bytesOf(b), feeds)];
  const [x, y] = [Array.from(want.y!.data, Number), Array.from(got.y!.data, Number)];
  const scale = Math.max(...x.map(Math.abs));
  return Math.max(...x.map((v, i) => Math.abs(v - y[i]!))) / scale;
}

describe('int8 quantization of a float16 model', () => {
  it('dynamic: widens it, quantizes the MatMuls and keeps the other weights in float16', async () => {
    const b = float16Mlp();
    const before = bytesOf(b);
    const result = await dynamicInt8.run(b.model, dynamicInt8.options.parse({}), {});
    expect(result.stats.layersQuantized).toBe(2);
    expect(result.notes?.join(' ')).toMatch(/float16; it was widened to float32/);
    const types = weightTypes(bytesOf(b));
    expect(Object.values(types).filter((t) => t === 'int8').length).toBe(2);
    expect(Object.values(types)).not.toContain('float32');
    expect(Object.values(types)).toContain('float16');
    expect(await closeness(before, b)).toBeLessThan(0.05);
  });

  it('static: widens it and writes int8 layers that run', async () => {
    const b = float16Mlp();
    const before = bytesOf(b);
    const result = await staticInt8.run(b.model, staticInt8.options.parse({ calibration: 'minmax' }), { data: syntheticData([32], 32) });
    expect(result.stats.layersQuantized).toBe(2);
    expect(Object.values(weightTypes(bytesOf(b)))).not.toContain('float32');
    expect(await closeness(before, b)).toBeLessThan(0.05);
  });

  it('keeps float16 inputs and outputs as they are', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', ['N', 32], 'float16');
    const w = b.initializer(half('w', [32, 16], 6));
    b.output(b.op('Relu', [b.op('MatMul', [x, w])], {}, 'y'), ['N', 16], 'float16');
    const result = await dynamicInt8.run(b.model, dynamicInt8.options.parse({}), {});
    expect(result.stats.layersQuantized).toBe(1);
    const written = decodeOnnx(bytesOf(b)).graph;
    const dtype = (v: (typeof written.inputs)[number] | undefined) => (v?.type?.kind === 'tensor' ? v.type.dtype : undefined);
    expect([dtype(written.inputs[0]), dtype(written.outputs[0])]).toEqual(['float16', 'float16']);
    const feeds = { x: new ort.Tensor('float16', Uint16Array.from(randomFloats(64, 8), toHalfBits), [2, 32]) };
    expect((await runOnnx(bytesOf(b), feeds)).y?.dims).toEqual([2, 16]);
  });
});
