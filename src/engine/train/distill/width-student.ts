/**
 * A narrower student derived from a teacher: every layer keeps a fraction of its output channels
 * — the filters with the largest L1 norm — and the layers after it keep the matching inputs, so
 * the student starts from the teacher's most important filters.
 *
 *   Conv W [M, C/g, k…] → W[kept_out, kept_in, k…]     Gemm/MatMul: rows/columns likewise
 *   per-channel nodes (BatchNormalization, Relu, pooling, Dropout …): the kept channels pass through
 *   Flatten of [N, C, H, W]: kept features = c·H·W … (c+1)·H·W − 1 for each kept channel c
 *   layers whose output reaches a model output without another layer keep every output
 * A simple version of structured pruning: branches that merge (Add, Concat) are refused.
 */
import { LitheError } from '../../errors';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import type { Node } from '../../ir/node';
import { inferShapes } from '../../ir/shape-inference';
import { Tensor } from '../../ir/tensor';
import type { Value } from '../../ir/value';
import { cloneModel } from '../training-graph';

const LAYERS = new Set(['Conv', 'Gemm', 'MatMul']);
const CHANNELWISE = new Set([
  'Relu',
  'LeakyRelu',
  'PRelu',
  'Elu',
  'Sigmoid',
  'Tanh',
  'HardSigmoid',
  'HardSwish',
  'Clip',
  'Softplus',
  'Erf',
  'Identity',
  'Dropout',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'BatchNormalization',
  'LRN',
  'Neg',
  'Abs',
]);

/** What {@link widthStudent} made. */
export interface DerivedStudent {
  model: Model;
  /** Output channels kept per layer (node name → kept / original). */
  layers: { node: string; kept: number; of: number }[];
  parameters: { student: number; teacher: number };
  /** Every layer whose weights were cut, in order: its output value and the teacher channels its outputs are. */
  narrowed: NarrowedLayer[];
}

/** A layer of the student: output value (same name in teacher and student) and where its channels came from. */
export interface NarrowedLayer {
  output: string;
  weight: string;
  bias?: string;
  /** Axis of the weight that indexes output channels. */
  outAxis: number;
  /** For each student output channel, the teacher channel it is (all of them, in order, for final layers). */
  teacherChannels: number[];
}

/** The student keeping `width` (0 < width ≤ 1) of each layer's channels, initialized from the teacher. */
export function widthStudent(teacher: Model, width: number): DerivedStudent {
  if (!(width > 0 && width <= 1)) throw new LitheError('invalid-argument', `--width must be in (0, 1], not ${width}.`);
  if (teacher.format !== 'onnx') throw new LitheError('internal', 'widthStudent works on the ONNX form of a model');
  const model = cloneModel(teacher);
  const graph = model.graph;
  inferShapes(model);
  const order = graph.topologicalOrder().order ?? graph.nodes;
  const finalLayers = layersReachingOutputs(graph);
  // Kept indices along the channel axis (axis 1) of each value; absent: all kept.
  const kept = new Map<Value, number[]>();
  const layers: DerivedStudent['layers'] = [];
  const narrowed: NarrowedLayer[] = [];
  for (const node of order) {
    const x = node.inputs[0];
    const selection = x ? kept.get(x) : undefined;
    const out = node.outputs[0];
    if (LAYERS.has(node.opType)) {
      const w = node.inputs[1]?.initializer;
      if (!w || w.dtype !== 'float32') throw refuse(node, 'its weight is not a float constant');
      const layout = weightLayout(node, w);
      if (selection) sliceAxis(w, layout.inAxis, selection, layout.groups);
      const b = node.inputs[2]?.initializer;
      const channels = w.dims[layout.outAxis]!;
      let chosen = Array.from({ length: channels }, (_, i) => i);
      if (out && !finalLayers.has(node)) {
        const keep = Math.max(1, Math.round(width * channels));
        chosen = topByL1(w, layout.outAxis, keep);
        sliceAxis(w, layout.outAxis, chosen);
        if (b) sliceAxis(b, b.dims.length - 1, chosen);
        kept.set(out, chosen);
        layers.push({ node: node.name || out.name, kept: keep, of: channels });
      }
      if (out && (selection || kept.has(out)))
        narrowed.push({
          output: out.name,
          weight: w.name,
          ...(b ? { bias: b.name } : {}),
          outAxis: layout.outAxis,
          teacherChannels: chosen,
        });
      continue;
    }
    if (!selection || !out) {
      if (node.inputs.some((v) => v && kept.has(v))) throw refuse(node, 'it reads a narrowed value in a way Lithe cannot follow');
      continue;
    }
    if (node.opType === 'Conv' && node.int('group', 1) > 1) throw refuse(node, 'grouped convolutions are not narrowed');
    if (CHANNELWISE.has(node.opType)) {
      if (node.opType === 'BatchNormalization' || node.opType === 'PRelu')
        for (const v of node.inputs.slice(1)) if (v?.initializer && v.initializer.elementCount > 1) sliceAxis(v.initializer, 0, selection);
      kept.set(out, selection);
    } else if (node.opType === 'Flatten' || isFlatteningReshape(node)) {
      const dims = x?.type?.kind === 'tensor' ? x.type.shape : undefined;
      const spatial = dims
        ?.slice(2)
        .reduce<number | undefined>((a, d) => (a !== undefined && typeof d === 'number' ? a * d : undefined), 1);
      if (spatial === undefined || (node.opType === 'Flatten' && node.int('axis', 1) !== 1))
        throw refuse(node, 'the sizes it flattens are not known');
      kept.set(
        out,
        selection.flatMap((c) => Array.from({ length: spatial }, (_, i) => c * spatial + i)),
      );
    } else
      throw refuse(
        node,
        `${node.opType} after a narrowed layer is not supported (branches that merge need full structured pruning); give --student`,
      );
  }
  // Shapes recorded before narrowing no longer hold inside the graph.
  graph.annotated = [];
  const io = new Set([...graph.inputs, ...graph.outputs]);
  for (const v of graph.ownValues()) {
    if (v.initializer) v.type = { kind: 'tensor', dtype: v.initializer.dtype, shape: [...v.initializer.dims] };
    else if (!io.has(v)) v.type = undefined;
  }
  const count = (m: Model): number =>
    m.graph.initializers.filter((t) => t.dtype.startsWith('float')).reduce((n, t) => n + t.elementCount, 0);
  return { model, layers, parameters: { student: count(model), teacher: count(teacher) }, narrowed };
}

function refuse(node: Node, why: string): LitheError {
  return new LitheError('unsupported', `Cannot derive a narrower student at the ${node.opType} node "${node.name}": ${why}.`);
}

// Layers whose output reaches a graph output without passing through another layer.
function layersReachingOutputs(graph: Graph): Set<Node> {
  const out = new Set<Node>();
  const stack = [...graph.outputs];
  const seen = new Set<Value>();
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    const p = v.producer;
    if (!p) continue;
    if (LAYERS.has(p.opType)) out.add(p);
    else for (const i of p.inputs) if (i && !i.initializer) stack.push(i);
  }
  return out;
}

function weightLayout(node: Node, w: Tensor): { inAxis: number; outAxis: number; groups: number } {
  if (node.opType === 'Conv') return { inAxis: 1, outAxis: 0, groups: node.int('group', 1) };
  if (w.dims.length !== 2) throw refuse(node, 'only 2-D matrix weights are narrowed');
  if (node.opType === 'Gemm') {
    if (node.int('transA', 0) === 1) throw refuse(node, 'transA is not supported');
    return node.int('transB', 0) === 1 ? { inAxis: 1, outAxis: 0, groups: 1 } : { inAxis: 0, outAxis: 1, groups: 1 };
  }
  return { inAxis: 0, outAxis: 1, groups: 1 };
}

function isFlatteningReshape(node: Node): boolean {
  if (node.opType !== 'Reshape') return false;
  const shape = node.inputs[1]?.initializer;
  if (!shape || shape.dtype !== 'int64' || shape.elementCount !== 2) return false;
  const [first, second] = Array.from(shape.toTypedArray() as BigInt64Array, Number);
  return second === -1 && (first === 0 || first === -1 || typeof first === 'number');
}

// Indices along `axis` of the `keep` slices with the largest L1 norm, in their original order.
function topByL1(t: Tensor, axis: number, keep: number): number[] {
  const data = t.toTypedArray() as Float32Array;
  const size = t.dims[axis]!;
  const inner = t.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const norms = new Float64Array(size);
  for (let i = 0; i < data.length; i++) norms[Math.floor(i / inner) % size]! += Math.abs(data[i]!);
  return Array.from(norms.keys())
    .sort((a, b) => norms[b]! - norms[a]! || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b);
}

// Keeps `indices` along `axis` of a float32 tensor (in place: new data and dims).
function sliceAxis(t: Tensor, axis: number, indices: readonly number[], groups = 1): void {
  if (groups !== 1) throw new LitheError('unsupported', `grouped weights ("${t.name}") are not narrowed`);
  const data = t.toTypedArray() as Float32Array;
  const dims = t.dims;
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const size = dims[axis]!;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(outer * indices.length * inner);
  for (let o = 0; o < outer; o++)
    indices.forEach((index, j) =>
      out.set(data.subarray((o * size + index) * inner, (o * size + index + 1) * inner), (o * indices.length + j) * inner),
    );
  t.dims = dims.map((d, i) => (i === axis ? indices.length : d));
  t.setBytes(new Uint8Array(out.buffer));
}
