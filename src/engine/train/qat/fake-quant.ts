/**
 * Fake quantization for quantization-aware training: the float model with the Q/DQ pairs the int8
 * (or int4) export will have, so training sees the rounding and clipping it will meet.
 *
 *   activation a  →  DequantizeLinear(QuantizeLinear(a, s, z), s, z)      s, z calibrated (uint8)
 *   int8 weight W →  DQ(Q(W, s_w, 0, axis), s_w, 0, axis)                 s_w = max|W| / 127 per output channel
 *   int4 weight W [K, N] in blocks of b along K:
 *     W′ = Wᵀ padded to [N, ⌈K/b⌉·b] → [N·⌈K/b⌉, b] → DQ(Q(·, s, z, axis 0)) → back to W's shape
 *     s = (max − min)/15, z = round(−min/s) per block (min ≤ 0 ≤ max), as the MatMulNBits export packs them
 * Weight scales follow the weights: they are graph inputs the training loop recomputes from the
 * current weights before every step (`stepInputs`); gradients pass the pairs straight through.
 */
import ort from 'onnxruntime-node';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import { Node } from '../../ir/node';
import { Tensor } from '../../ir/tensor';
import { Value } from '../../ir/value';
import { freshName } from '../../passes/util/graph-walk';
import type { TensorRange } from '../../quantize/calibrate';
import { pack4Bit } from '../../quantize/onnx/matmul-nbits';
import { weightAxis } from '../../quantize/onnx/weights-qdq';
import { computeParams, quantizeWeights } from '../../quantize/quant-math';
import { cloneModel } from '../training-graph';

/** What to fake-quantize. */
export interface FakeQuantPlan {
  /** Activation tensors with their calibrated ranges (uint8, asymmetric). */
  activations: ReadonlyMap<string, TensorRange>;
  /** Weight quantization: int8 per channel (Conv/Gemm/MatMul), or int4 blocks (Gemm/MatMul large enough). */
  weights: { kind: 'int8' } | { kind: 'int4'; blockSize: number; minElements: number };
}

/** The fake-quantized model and how to feed its weight scales each step. */
export interface FakeQuantModel {
  model: Model;
  /** Per-step graph inputs (weight scales, zero points) from the current weights. */
  stepInputs(weights: ReadonlyMap<string, Float32Array>): Record<string, ort.Tensor>;
  stepInputNames: string[];
  activationsQuantized: number;
  weightsQuantized: number;
}

type StepFeed = (weights: ReadonlyMap<string, Float32Array>, feeds: Record<string, ort.Tensor>) => void;

/** Builds the fake-quantized copy of `source` (not changed). */
export function fakeQuantize(source: Model, plan: FakeQuantPlan): FakeQuantModel {
  const model = cloneModel(source);
  const graph = model.graph;
  let activations = 0;
  for (const [name, range] of plan.activations) {
    const v = graph.value(name);
    if (!v) continue;
    const users = graph.users(v);
    const p = computeParams(range.min, range.max, 'uint8', false);
    const scale = constant(graph, `${name}_scale`, 'float32', [], Float32Array.of(p.scale));
    const dq = qdq(graph, v, scale, constant(graph, `${name}_zero`, 'uint8', [], Uint8Array.of(p.zeroPoint)));
    for (const user of users) user.replaceInput(v, dq);
    if (graph.outputs.includes(v)) graph.outputs = graph.outputs.map((o) => (o === v ? dq : o));
    activations++;
  }
  const feeds: StepFeed[] = [];
  const names: string[] = [];
  let weightsDone = 0;
  for (const node of [...graph.nodes]) {
    const w = node.inputs[1];
    const t = w?.initializer;
    if (!w || !t || t.dtype !== 'float32' || !['Conv', 'Gemm', 'MatMul'].includes(node.opType)) continue;
    if (plan.weights.kind === 'int8') {
      const axis = weightAxis(node);
      if (axis === undefined) continue;
      node.setInput(1, int8Weight(graph, w, axis, feeds, names));
    } else {
      if (node.opType === 'Conv' || t.dims.length !== 2 || t.elementCount < plan.weights.minElements) continue;
      if (node.opType === 'Gemm' && (node.int('transA', 0) || node.float('alpha', 1) !== 1 || node.float('beta', 1) !== 1)) continue;
      node.setInput(1, int4Weight(graph, w, node.opType === 'Gemm' && node.int('transB', 0) === 1, plan.weights.blockSize, feeds, names));
    }
    weightsDone++;
  }
  return {
    model,
    stepInputs(weights) {
      const out: Record<string, ort.Tensor> = {};
      for (const feed of feeds) feed(weights, out);
      return out;
    },
    stepInputNames: names,
    activationsQuantized: activations,
    weightsQuantized: weightsDone,
  };
}

function constant(graph: Graph, base: string, dtype: 'float32' | 'uint8' | 'int8' | 'int64', dims: number[], data: ArrayBufferView): Value {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const v = graph.addInitializer(new Tensor(freshName(graph, `qat/${base}`), dtype, dims, bytes));
  v.type = { kind: 'tensor', dtype, shape: dims };
  return v;
}

function input(graph: Graph, base: string, dtype: 'float32' | 'uint8', dims: number[], names: string[]): Value {
  const v = graph.define(new Value(freshName(graph, `qat/${base}`), { kind: 'tensor', dtype, shape: dims }));
  graph.inputs.push(v);
  names.push(v.name);
  return v;
}

let nodeCount = 0;
function node(graph: Graph, opType: string, inputs: Value[], attributes: Node['attributes'] = [], base = opType): Value {
  const out = graph.define(new Value(freshName(graph, `qat/${base}`)));
  graph.addNode(new Node(opType, inputs, [out], { name: `qat/${opType}_${nodeCount++}`, attributes }));
  return out;
}

const intAttribute = (name: string, value: number): Node['attributes'][number] => ({ name, value: { kind: 'int', value: BigInt(value) } });

// Q → DQ after `v`, placed anywhere (training graphs are sorted before use).
function qdq(graph: Graph, v: Value, scale: Value, zero: Value, axis?: number): Value {
  const attrs = axis === undefined ? [] : [intAttribute('axis', axis)];
  const q = node(graph, 'QuantizeLinear', [v, scale, zero], attrs, `${v.name}_q`);
  return node(graph, 'DequantizeLinear', [q, scale, zero], attrs, `${v.name}_fq`);
}

function int8Weight(graph: Graph, w: Value, axis: number, feeds: StepFeed[], names: string[]): Value {
  const t = w.initializer!;
  const channels = t.dims[axis]!;
  const scale = input(graph, `${w.name}_scale`, 'float32', [channels], names);
  const zero = constant(graph, `${w.name}_zero`, 'int8', [channels], new Int8Array(channels));
  feeds.push((weights, out) => {
    const values = weights.get(w.name);
    if (values) out[scale.name] = new ort.Tensor('float32', quantizeWeights(values, t.dims, axis).scales, [channels]);
  });
  return qdq(graph, w, scale, zero, axis);
}

function int4Weight(graph: Graph, w: Value, transposed: boolean, blockSize: number, feeds: StepFeed[], names: string[]): Value {
  const t = w.initializer!;
  const [k, n] = transposed ? [t.dims[1]!, t.dims[0]!] : [t.dims[0]!, t.dims[1]!];
  const blocks = Math.ceil(k / blockSize);
  const rows = n * blocks;
  const scale = input(graph, `${w.name}_q4_scale`, 'float32', [rows], names);
  const zero = input(graph, `${w.name}_q4_zero`, 'uint8', [rows], names);
  feeds.push((weights, out) => {
    const values = weights.get(w.name);
    if (!values) return;
    const kn = transposed ? transpose(values, n, k) : values;
    const packed = pack4Bit(kn, k, n, blockSize, false);
    const zeros = new Uint8Array(rows);
    for (let col = 0; col < n; col++)
      for (let b = 0; b < blocks; b++)
        zeros[col * blocks + b] = (packed.zeroPoints![col * Math.ceil(blocks / 2) + (b >> 1)]! >> ((b & 1) * 4)) & 15;
    out[scale.name] = new ort.Tensor('float32', packed.scales, [rows]);
    out[zero.name] = new ort.Tensor('uint8', zeros, [rows]);
  });
  const ints = (values: number[]): Value =>
    constant(
      graph,
      'shape',
      'int64',
      [values.length],
      BigInt64Array.from(values, (x) => BigInt(x)),
    );
  // [N, K] rows (columns of the K×N matrix), padded with zeros to whole blocks.
  let rowsOfColumns = transposed ? w : node(graph, 'Transpose', [w], [{ name: 'perm', value: { kind: 'ints', value: [1n, 0n] } }]);
  const padded = blocks * blockSize;
  if (padded !== k) rowsOfColumns = node(graph, 'Pad', [rowsOfColumns, ints([0, 0, 0, padded - k])]);
  const blocked = node(graph, 'Reshape', [rowsOfColumns, ints([rows, blockSize])]);
  let back = node(graph, 'Reshape', [qdq(graph, blocked, scale, zero, 0), ints([n, padded])]);
  if (padded !== k) back = node(graph, 'Slice', [back, ints([0]), ints([k]), ints([1])]);
  return transposed ? back : node(graph, 'Transpose', [back], [{ name: 'perm', value: { kind: 'ints', value: [1n, 0n] } }]);
}

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}
