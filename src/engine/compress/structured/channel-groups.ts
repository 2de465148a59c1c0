// Channel groups for structured pruning: a layer's output channels and every place that reads them.
//
//   Conv A (C filters) → BatchNormalization → Relu → MaxPool → Conv B
//     group: A's filters (weight axis 0) and bias, the four BatchNormalization parameters, B's weights on axis 1
//   Conv A → Relu → Flatten → Gemm
//     the Gemm's inputs come in C runs of H·W: its weights are cut in blocks of H·W
//   Gemm A → Relu → Gemm B:  A's rows (or columns, transB = 0) and bias, B's inputs
//
// Depthwise convolutions on the way are cut along with the channels (their `group` follows). A
// group is declined, with the reason, where the channels are read in a way it cannot follow: a
// residual Add or a Concat with another tensor, a Reshape, a model output, a weight shared by
// several layers.
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { Tensor } from '../../ir/tensor';
import type { Value } from '../../ir/value';
import { constantTensor } from '../../passes/util/constants';
import type { WeightLayer } from '../weights/weight-layers';
import { canCut } from './take-along-axis';

/** One tensor to cut along a channel axis. */
export interface ChannelCut {
  tensor: Tensor;
  stored: Value;
  axis: number;
  /** Positions per channel along the axis (H·W behind a Flatten, else 1). */
  block: number;
}

/** A layer's output channels and every tensor that has to lose the same channels. */
export interface ChannelGroup {
  layer: WeightLayer;
  channels: number;
  cuts: ChannelCut[];
  /** Depthwise convolutions on the way (their `group` becomes the number of channels kept). */
  depthwise: Node[];
  /** Values that carry the channels on axis 1, with the positions per channel. */
  values: { value: Value; block: number }[];
}

/** Operators that work on each channel by itself and keep the layout (input 0 → output 0). */
const CHANNELWISE = new Set([
  'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Clip', 'Elu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign',
  'Mish', 'Gelu', 'Identity', 'Dropout', 'Abs', 'Neg',
  'MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool',
]); // prettier-ignore

/** Elementwise operators whose other operand may be a per-channel constant. */
const WITH_CONSTANT = new Set(['Add', 'Sub', 'Mul', 'Div', 'PRelu', 'Max', 'Min']);

const label = (n: Node): string => n.name || n.outputs[0]?.name || n.opType;

class Decline extends Error {}
const decline = (reason: string): never => {
  throw new Decline(reason);
};

/** A constant that only this one place reads (so cutting it changes nothing else). */
function ownConstant(graph: Graph, value: Value | undefined, what: string): { tensor: Tensor; stored: Value } {
  const tensor = constantTensor(graph, value);
  if (!value || !tensor) return decline(`${what} is not a constant`);
  if (graph.useCount(value) !== 1) return decline(`${what} is shared with other layers`);
  if (!canCut(tensor)) return decline(`${what} has elements smaller than a byte`);
  return { tensor, stored: value };
}

class Tracer {
  readonly group: ChannelGroup;
  readonly #seen = new Set<Value>();

  constructor(
    readonly graph: Graph,
    layer: WeightLayer,
    readonly channels: number,
    readonly rank: number,
  ) {
    this.group = { layer, channels, cuts: [], depthwise: [], values: [] };
  }

  cut(value: Value | undefined, what: string, axis: number, block = 1): void {
    const c = ownConstant(this.graph, value, what);
    if ((c.tensor.dims[axis] ?? 0) !== this.channels * block)
      decline(`${what} has ${c.tensor.dims[axis] ?? 0} entries where ${this.channels * block} were expected`);
    this.group.cuts.push({ ...c, axis, block });
  }

  /** Follows the channels from `value` to every reader. */
  follow(value: Value, block = 1): void {
    if (this.#seen.has(value)) return;
    this.#seen.add(value);
    this.group.values.push({ value, block });
    if (this.graph.outputs.includes(value)) decline(`its channels are a model output ('${value.name}')`);
    for (const node of this.graph.users(value)) {
      if (node.subgraphs().length > 0) decline(`${node.opType} '${label(node)}' reads them inside a subgraph`);
      if (node.domain !== '') decline(`${node.opType} '${label(node)}' is not a standard operator`);
      if (block > 1) this.dense(node, value, block);
      else this.visit(node, value);
    }
  }

  visit(node: Node, value: Value): void {
    const first = node.inputs[0] === value && node.inputs.indexOf(value, 1) < 0;
    const op = node.opType;
    const extraOutputs = node.outputs.slice(1).some((o) => o && this.graph.useCount(o) > 0);
    if (CHANNELWISE.has(op) && first && !extraOutputs) return this.next(node);
    if (op === 'BatchNormalization' || op === 'InstanceNormalization') {
      if (!first || extraOutputs) decline(`${op} '${label(node)}' uses them in training mode`);
      const params = op === 'BatchNormalization' ? 4 : 2;
      for (let i = 1; i <= params; i++) this.cut(node.inputs[i], `parameter ${i} of ${op} '${label(node)}'`, 0);
      return this.next(node);
    }
    if (WITH_CONSTANT.has(op)) return this.withConstant(node, value);
    if (op === 'Conv' && node.inputs[0] === value) return this.conv(node);
    if (op === 'ConvTranspose' && node.inputs[0] === value && node.int('group', 1) === 1)
      return this.cut(node.inputs[1], `the weights of ${op} '${label(node)}'`, 0);
    if (op === 'Flatten' && first) {
      const axis = node.int('axis', 1);
      if (axis !== 1 && axis !== 1 - this.rank) decline(`Flatten '${label(node)}' flattens from axis ${axis}, not after the channels`);
      const out = node.outputs[0];
      const reader = out && this.graph.users(out)[0];
      const block = reader ? this.denseLength(reader, out) / this.channels : 0;
      if (!out || !Number.isInteger(block) || block < 1) decline(`the layer after Flatten '${label(node)}' does not read C runs of H·W`);
      return this.follow(out as Value, block);
    }
    if ((op === 'Gemm' || op === 'MatMul') && this.rank === 2) return this.dense(node, value, 1);
    decline(`${op} '${label(node)}' reads the channels in a way channel pruning does not follow yet`);
  }

  next(node: Node): void {
    const out = node.outputs[0];
    if (out) this.follow(out);
  }

  withConstant(node: Node, value: Value): void {
    const others = node.inputs.filter((v) => v !== value);
    const other = others[0];
    if (others.length > 1) decline(`${node.opType} '${label(node)}' has several other operands`);
    if (other) {
      const t = constantTensor(this.graph, other);
      if (!t) decline(`${node.opType} '${label(node)}' combines them with another tensor (a residual connection or similar)`);
      const dims = (t as Tensor).dims;
      if (dims.some((d) => d !== 1)) {
        const axis = 1 - (this.rank - dims.length);
        const perChannel = axis >= 0 && dims.every((d, i) => d === 1 || (i === axis && d === this.channels));
        if (!perChannel) decline(`the constant of ${node.opType} '${label(node)}' is not one value per channel`);
        this.cut(other, `the constant of ${node.opType} '${label(node)}'`, axis);
      }
    }
    this.next(node);
  }

  conv(node: Node): void {
    const groups = node.int('group', 1);
    const what = `the weights of Conv '${label(node)}'`;
    if (groups === 1) return this.cut(node.inputs[1], what, 1);
    const w = constantTensor(this.graph, node.inputs[1]);
    if (groups !== this.channels || w?.dims[0] !== this.channels)
      decline(`Conv '${label(node)}' is a grouped convolution (${groups} groups) that is not depthwise with one filter per channel`);
    this.cut(node.inputs[1], what, 0);
    if (node.inputs[2]) this.cut(node.inputs[2], `the bias of Conv '${label(node)}'`, 0);
    this.group.depthwise.push(node);
    this.next(node);
  }

  /** The length of the input axis of the fully connected layer `node` reading `value` as input 0. */
  denseLength(node: Node, value: Value): number {
    const w = constantTensor(this.graph, node.inputs[1]);
    if (node.inputs[0] !== value || !w || w.dims.length !== 2 || node.int('transA', 0) !== 0) return 0;
    if (node.opType === 'Gemm') return w.dims[node.int('transB', 0) === 1 ? 1 : 0] ?? 0;
    return node.opType === 'MatMul' ? (w.dims[0] ?? 0) : 0;
  }

  dense(node: Node, value: Value, block: number): void {
    if (this.denseLength(node, value) !== this.channels * block)
      decline(`${node.opType} '${label(node)}' does not read them as its inputs (constant 2-D weights)`);
    const axis = node.opType === 'Gemm' && node.int('transB', 0) === 1 ? 1 : 0;
    this.cut(node.inputs[1], `the weights of ${node.opType} '${label(node)}'`, axis, block);
  }
}

/** Rank of the layer's output and the axes of its filters and bias, for the producers channel pruning understands. */
function producerShape(layer: WeightLayer): { rank: number } | string {
  const { node } = layer;
  if (node.domain !== '') return 'it is not a standard ONNX layer';
  if (layer.kind === 'depthwise') return 'a depthwise convolution keeps the channels of the layer before it (they go with that layer)';
  if (layer.kind === 'conv' && node.opType === 'Conv') return { rank: layer.tensor.dims.length };
  if (node.opType === 'Gemm' && node.int('transA', 0) === 0) return { rank: 2 };
  const input = node.inputs[0]?.type;
  if (node.opType === 'MatMul' && layer.tensor.dims.length === 2 && input?.kind === 'tensor' && input.shape?.length === 2)
    return { rank: 2 };
  return `${node.opType} '${label(node)}' is not a convolution or a fully connected layer with 2-D input`;
}

/** The channel group of `layer`, or why its channels cannot be pruned. */
export function channelGroup(layer: WeightLayer): ChannelGroup | string {
  const shape = producerShape(layer);
  if (typeof shape === 'string') return shape;
  const channels = layer.tensor.dims[layer.outAxis] ?? 0;
  const out = layer.node.outputs[0];
  if (!out || channels < 2) return 'it has fewer than two output channels';
  const tracer = new Tracer(layer.graph, layer, channels, shape.rank);
  try {
    tracer.cut(layer.stored, `the weights of '${layer.name}'`, layer.outAxis);
    const bias = layer.node.inputs[2];
    const biasTensor = constantTensor(layer.graph, bias);
    if (bias && (biasTensor?.elementCount ?? 0) > 1) tracer.cut(bias, `the bias of '${layer.name}'`, (biasTensor?.dims.length ?? 1) - 1);
    else if (bias && !biasTensor) decline('its bias is not a constant');
    tracer.follow(out);
  } catch (e) {
    if (e instanceof Decline) return e.message;
    throw e;
  }
  return tracer.group;
}
