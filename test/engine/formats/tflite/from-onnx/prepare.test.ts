import { describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../../src/engine/formats/onnx';
import { convertModelFormat, describeUnconvertible, onnxToTflite } from '../../../../../src/engine/formats/tflite';
import { LitheError } from '../../../../../src/engine/errors';
import { Graph } from '../../../../../src/engine/ir/graph';
import { Node } from '../../../../../src/engine/ir/node';
import { Tensor } from '../../../../../src/engine/ir/tensor';
import { Value } from '../../../../../src/engine/ir/value';
import { floatTensor, int64Tensor } from '../../../../../src/engine/passes/util/constants';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { int } from './attrs';

/** An If whose branches add or subtract `k` from outer value `x` (the branches use it implicitly). */
function ifNode(b: GraphBuilder, cond: Value, x: Value): Value {
  const branch = (op: string, name: string): Graph => {
    const g = new Graph(name, b.graph);
    const k = g.addInitializer(floatTensor(`${name}_k`, [1], [2]));
    const out = g.define(new Value(`${name}_out`));
    g.nodes = [new Node(op, [x, k], [out], { name: `${name}_op` })];
    g.outputs = [out];
    return g;
  };
  return b.op('If', [cond], {
    then_branch: { kind: 'graph', value: branch('Add', 'then') },
    else_branch: { kind: 'graph', value: branch('Sub', 'else') },
  });
}

describe('preparing an ONNX model for TFLite', () => {
  it('folds Constant nodes and shape computations into constants', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', ['N', 3, 4]);
    const shape = b.op('Shape', [x]);
    const first = b.op('Gather', [shape, b.constant(int64Tensor('zero', [], [0]))], { axis: int(0) });
    const target = b.op('Concat', [b.op('Unsqueeze', [first, b.ints('ax', [0])]), b.constant(int64Tensor('rest', [1], [-1]))], {
      axis: int(0),
    });
    b.output(b.op('Reshape', [x, target]));
    const { relative, ops, result } = await convertAndRun(b.model);
    expect(ops).toEqual(['RESHAPE']);
    expect(result.notes.join(' ')).toMatch(/dim "N" \(axis 0\) = 1: batch default/);
    expect(result.notes.join(' ')).toMatch(/constant computations were done ahead of time/);
    expect(relative).toBe(0);
  });

  it('folds a computed constant even when it is larger than its computation (ConstantOfShape)', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 3, 8, 8]);
    // 768 bytes stored for a 32-byte shape: TFLite has no ConstantOfShape, so it must be folded all the same
    const ones = b.op('ConstantOfShape', [b.ints('shape', [1, 3, 8, 8])], {
      value: { kind: 'tensor', value: floatTensor('v', [1], [1.5]) },
    });
    b.output(b.op('Add', [x, ones]));
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops).toEqual(['ADD']);
    expect(relative).toBe(0);
  });

  it('fixes open dimensions from the sizes given', async () => {
    const b = new GraphBuilder(13);
    b.output(b.op('Relu', [b.input('x', ['batch', 'time', 8])]));
    const { result } = await convertAndRun(b.model, { dims: { batch: 2, time: 5 } });
    expect(result.inputs[0]?.shape).toEqual([2, 5, 8]);
    expect(result.notes.join(' ')).not.toMatch(/default/);
  });

  it('replaces an If by its branch when the condition is a constant, and selects between both otherwise', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [2, 3]);
    b.output(ifNode(b, b.initializer(new Tensor('yes', 'bool', [], new Uint8Array([1]))), x));
    const chosen = await convertAndRun(b.model);
    expect(chosen.ops).toEqual(['ADD']);
    const c = new GraphBuilder(13);
    const y = c.input('y', [2, 3]);
    const cond = c.op('Greater', [c.op('ReduceSum', [y], { keepdims: int(0) }), c.initializer(floatTensor('zero', [], [0]))]);
    c.output(ifNode(c, cond, y));
    const selected = await convertAndRun(c.model);
    expect(selected.ops).toContain('SELECT_V2');
    expect(selected.result.notes.join(' ')).toMatch(/compute both branches and select/);
    expect(selected.relative).toBe(0);
  });

  it('keeps the only branch of a run-time If that runs at the fixed sizes, and says why', async () => {
    const b = new GraphBuilder(13);
    // an open batch, as a model declares it: onnxruntime loads it, and the sizes are fixed later (N = 1)
    const x = b.input('x', ['N', 3]);
    // x·x summed plus one is never below zero, but only a run shows it: the condition stays open
    const cond = b.op('Greater', [
      b.op('Add', [b.op('ReduceSum', [b.op('Mul', [x, x])], { keepdims: int(0) }), b.initializer(floatTensor('one', [], [1]))]),
      b.initializer(floatTensor('zero', [], [0])),
    ]);
    const branch = (name: string, op: string, inputs: Value[], g: Graph): Graph => {
      const out = g.define(new Value(`${name}_out`));
      g.nodes = [new Node(op, inputs, [out], { name: `${name}_op` })];
      g.outputs = [out];
      return g;
    };
    const thenGraph = new Graph('then', b.graph);
    const elseGraph = new Graph('else', b.graph);
    // three values cannot be four rows: the else branch fails at this size, in onnxruntime too
    const rows = elseGraph.addInitializer(int64Tensor('rows', [2], [4, -1]));
    b.output(
      b.op('If', [cond], {
        then_branch: { kind: 'graph', value: branch('then', 'Add', [x, thenGraph.addInitializer(floatTensor('k', [1], [2]))], thenGraph) },
        else_branch: { kind: 'graph', value: branch('else', 'Reshape', [x, rows], elseGraph) },
      }),
    );
    const { ops, relative, result } = await convertAndRun(b.model);
    expect(ops).not.toContain('RESHAPE');
    expect(ops).not.toContain('SELECT_V2');
    expect(ops).toContain('ADD');
    expect(relative).toBe(0);
    expect(result.notes.join(' ')).toMatch(
      /If "If_\d+" always takes its then branch at these sizes: the else branch fails on them in the original too \(.*Reshape/,
    );
  });

  it('refuses a 64-bit constant that does not fit 32 bits, naming it', async () => {
    const b = new GraphBuilder(13);
    const i = b.input('i', [2], 'int64');
    b.output(b.op('Add', [i, b.initializer(int64Tensor('huge', [1], [2n ** 40n]))]));
    const { unconvertible } = await onnxToTflite(decodeOnnx(encodeOnnx(b.model)));
    expect(unconvertible).toEqual([
      { op: 'Add', node: 'Add_1', reason: "constant 'huge' holds 1099511627776, which does not fit TFLite's 32-bit integers" },
    ]);
  });

  it('lists each unsupported operator once, with a count and the node names', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [2, 3]);
    const e1 = b.op('Erf', [x]);
    const e2 = b.op('Erf', [e1]);
    b.output(b.op('Erf', [x])).output(e2);
    b.output(b.op('Det', [b.input('m', [3, 3])]));
    const { unconvertible } = await onnxToTflite(decodeOnnx(encodeOnnx(b.model)));
    const text = describeUnconvertible(unconvertible);
    expect(text).toContain("Erf ×2 (nodes 'Erf_1', 'Erf_3'): TFLite has no error-function (Erf) operator");
    expect(text).toContain("Det (node 'Det_4'): Lithe has no TFLite translation for this ONNX op");
    expect(text.split('\n')).toHaveLength(3);
  });

  it("names the file and gives onnxruntime's whole message when the run that learns shapes fails", async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 6]);
    // a shape read from an input: unknown until the run, which asks for an impossible one
    const to = b.op('Add', [b.input('n', [1], 'int64'), b.initializer(int64Tensor('seven', [1], [7n]))]);
    b.output(b.op('Relu', [b.op('Reshape', [x, to])]));
    const error = await convertModelFormat(decodeOnnx(encodeOnnx(b.model)), 'tflite', { file: 'shapes.onnx' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LitheError);
    const { file, message } = error as LitheError;
    expect(file).toBe('shapes.onnx');
    expect(message).toMatch(/^shapes\.onnx: onnxruntime could not run the model to learn its shapes: /);
    // the part that says what failed, past onnxruntime's first words
    expect(message).toMatch(/Reshape/);
    expect(message).toMatch(/requested shape/);
  });
});
