import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { inferShapes } from '../../../src/engine/ir';
import type { Value } from '../../../src/engine/ir/value';
import { GraphBuilder, randomFeeds } from '../passes/graph-builder';

// Every operator output whose element type the ONNX spec fixes, fed from one float input `x`. Each
// value under test goes to the graph's outputs through an Identity, so it stays an inner value that
// shape inference may fill in, and onnxruntime reports its real dtype and dims.
function fixedDtypeGraph(): { b: GraphBuilder; x: Value; probes: Record<string, Value> } {
  const b = new GraphBuilder(15);
  const x = b.input('x', [2, 3]);
  const k = b.ints('k', [2]);
  const eq = b.op('Equal', [x, x]);
  const lt = b.op('Less', [x, b.weight('half', [3])]);
  const [topValues, topIndices] = b.opN('TopK', [x, k], 2);
  const [, uniqueIndices, uniqueInverse, uniqueCounts] = b.opN('Unique', [x], 4, { sorted: { kind: 'int', value: 1n } });
  const [dq, dqScale, dqZero] = b.opN('DynamicQuantizeLinear', [x], 3);
  const probes: Record<string, Value | undefined> = {
    shape: b.op('Shape', [x]),
    shapeTail: b.op('Shape', [x], { start: { kind: 'int', value: -1n } }),
    size: b.op('Size', [x]),
    nonZero: b.op('NonZero', [x]),
    argMax: b.op('ArgMax', [x], { axis: { kind: 'int', value: 1n } }),
    argMin: b.op('ArgMin', [x]),
    topValues,
    topIndices,
    uniqueIndices,
    uniqueInverse,
    uniqueCounts,
    dq,
    dqScale,
    dqZero,
    equal: eq,
    less: lt,
    greater: b.op('Greater', [x, x]),
    not: b.op('Not', [eq]),
    and: b.op('And', [eq, lt]),
    or: b.op('Or', [eq, lt]),
    xor: b.op('Xor', [eq, lt]),
    isNaN: b.op('IsNaN', [x]),
    isInf: b.op('IsInf', [x]),
  };
  const checked: Record<string, Value> = {};
  for (const [name, v] of Object.entries(probes)) {
    if (!v) throw new Error(`no value for ${name}`);
    checked[name] = v;
    b.output(b.op('Identity', [v], {}, `out_${name}`));
  }
  return { b, x, probes: checked };
}

async function runtimeTypes(b: GraphBuilder): Promise<Record<string, { dtype: string; dims: number[] }>> {
  const session = await ort.InferenceSession.create(encodeOnnx(b.model));
  try {
    const results = await session.run(randomFeeds(b.model));
    return Object.fromEntries(
      Object.entries(results).map(([name, t]) => [name.replace(/^out_/, ''), { dtype: t.type, dims: [...t.dims] }]),
    );
  } finally {
    await session.release();
  }
}

function tensorType(v: Value): { dtype: string; shape: unknown } | undefined {
  return v.type?.kind === 'tensor' ? { dtype: v.type.dtype, shape: v.type.shape } : undefined;
}

function typeOf(probes: Record<string, Value>, name: string): ReturnType<typeof tensorType> {
  const v = probes[name];
  if (!v) throw new Error(`no probe ${name}`);
  return tensorType(v);
}

describe('outputs whose dtype the operator fixes', () => {
  it('get the dtype onnxruntime produces, and its dims where the input is known', async () => {
    const { b, probes } = fixedDtypeGraph();
    const real = await runtimeTypes(b);
    inferShapes(b.model);
    for (const [name, v] of Object.entries(probes)) {
      const inferred = tensorType(v);
      expect(inferred?.dtype, name).toBe(real[name]?.dtype);
      const shape = inferred?.shape;
      if (Array.isArray(shape) && shape.every((d) => typeof d === 'number')) expect(shape, name).toEqual(real[name]?.dims);
    }
    expect(typeOf(probes, 'shapeTail')?.shape).toEqual([1]); // Shape's start attribute (opset 15)
    expect(typeOf(probes, 'topIndices')?.shape).toEqual([2, 2]);
    expect(typeOf(probes, 'nonZero')?.shape).toEqual([2, null]);
  });

  it('get their dtype when nothing is known about the input', async () => {
    const { b, x, probes } = fixedDtypeGraph();
    const real = await runtimeTypes(b);
    x.type = undefined; // an input whose type the file leaves out
    inferShapes(b.model);
    const fixed = ['shape', 'size', 'nonZero', 'argMax', 'argMin', 'topIndices', 'uniqueIndices', 'uniqueInverse', 'uniqueCounts'];
    const bools = ['equal', 'less', 'greater', 'not', 'and', 'or', 'xor', 'isNaN', 'isInf'];
    for (const name of [...fixed, ...bools, 'dq', 'dqScale', 'dqZero']) {
      const v = probes[name];
      expect(v && tensorType(v)?.dtype, name).toBe(real[name]?.dtype);
    }
    expect(typeOf(probes, 'shape')?.shape).toEqual([null]);
    expect(typeOf(probes, 'size')?.shape).toEqual([]);
    expect(typeOf(probes, 'nonZero')?.shape).toEqual([null, null]);
    expect(typeOf(probes, 'topValues')).toBeUndefined(); // follows the input: still unknown
  });
});
