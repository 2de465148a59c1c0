/**
 * Dynamic-range int8 on ONNX: every matrix and convolution layer with a constant float weight.
 *
 *   x ─ MatMul(W f32) ─ y     →   x ─ DynamicQuantizeLinear ─ MatMulInteger(W i8) ─ Cast ─ Mul(s_x·s_W) ─ y
 *   x ─ Conv(W f32) ─ y       →   x ─ Conv(DequantizeLinear(W i8, s_W)) ─ y          (convForm weights-only)
 *                                 x ─ DynamicQuantizeLinear ─ ConvInteger(W u8) ─ … ─ y (convForm integer)
 *
 *   x ─ LSTM(W, R f32) ─ y    →   x ─ DynamicQuantizeLSTM(W, R i8) ─ y                 (dynamic-lstm.ts)
 *   ids ─ Gather(T f32) ─ y   →   ids ─ Gather(T i8) ─ Cast ─ Mul(row scale) ─ y          (embedding-int8.ts)
 *
 *   W_i8 = round(W / s[c]), s[c] = max|W[c,…]| / 127 (per output channel, or one s per tensor)
 *
 * A MatMul or Gemm whose result goes into a Log, Sqrt, Reciprocal or divisor keeps its float input (weights-only
 * form): rounding its input to 8 bits would zero the small values those need (see small-values.ts).
 */
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import { Skips } from '../../passes/util/skips';
import type { SkippedCandidate } from '../../passes/pass';
import { dynamicIntegerNodes } from './dynamic-integer';
import { dynamicLstmNode, lstmDeclined } from './dynamic-lstm';
import { embeddingDeclined, embeddingNodes, gathersStoredTable } from './embedding-int8';
import { isExcluded } from './quantizable';
import { smallValuesNeededBy } from './small-values';
import { quantizeWeightQdq, weightAxis } from './weights-qdq';

/** Layer types dynamic quantization can handle. */
export type DynamicOp = 'MatMul' | 'Gemm' | 'Conv' | 'LSTM' | 'Gather';

const LAYER_TYPES: readonly string[] = ['MatMul', 'Gemm', 'Conv', 'LSTM', 'Gather'];

/** How a layer's weights are stored: integer kernels, or int8 weights expanded to float before a float layer. */
export type DynamicForm = 'integer' | 'weights-only';

/** Options of dynamic-range int8 on ONNX. */
export interface DynamicOnnxOptions {
  ops: readonly DynamicOp[];
  /** Form of MatMul/Gemm layers. */
  form: DynamicForm;
  /** Form of Conv layers (weights-only whenever `form` is). */
  convForm: DynamicForm;
  perChannel: boolean;
  exclude: readonly string[];
}

/** Weight-carrying layers that dynamic int8 does not rewrite, with the reason it gives. */
const NOT_HANDLED: Readonly<Record<string, string>> = {
  GRU: 'onnxruntime has no dynamic int8 GRU; it stays float',
  RNN: 'onnxruntime has no dynamic int8 RNN; it stays float',
  ConvTranspose: 'onnxruntime has no dynamic int8 ConvTranspose; it stays float',
};

/** What dynamic int8 did to an ONNX graph. */
export interface DynamicOnnxResult {
  layers: number;
  /** Layers per form. */
  integerLayers: number;
  weightsOnlyLayers: number;
  /** LSTM layers as DynamicQuantizeLSTM (onnxruntime's contrib domain). */
  recurrentLayers: number;
  /** Embedding tables (Gather) stored in int8. */
  tableLayers: number;
  /** Layers that keep a float input (weights-only) because their result needs its small values, with the reason. */
  floatInputs: SkippedCandidate[];
  skipped: SkippedCandidate[];
}

// Why a candidate layer is left in float, or undefined when it is a candidate.
function declined(node: Node, options: DynamicOnnxOptions): string | undefined {
  const reason = NOT_HANDLED[node.opType];
  if (reason) return reason;
  if (!LAYER_TYPES.includes(node.opType)) return undefined;
  if (node.opType === 'Gather' && !gathersStoredTable(node)) return undefined;
  if (!(options.ops as readonly string[]).includes(node.opType)) return `${node.opType} is not among the recipe's layer types (ops)`;
  if (isExcluded(node, options.exclude)) return 'kept in float by the recipe';
  if (node.opType === 'LSTM') return lstmDeclined(node);
  if (node.opType === 'Gather') return embeddingDeclined(node);
  if (weightAxis(node) === undefined) return 'its weight is not a stored float constant of the expected shape';
  return undefined;
}

/**
 * Quantizes the layers of `graphs` in place (see the header). `perChannelQdq` says whether
 * DequantizeLinear may take per-channel scales (opset 13 and later).
 */
export function dynamicQuantizeOnnx(graphs: readonly Graph[], options: DynamicOnnxOptions, perChannelQdq: boolean): DynamicOnnxResult {
  const skips = new Skips();
  const result: DynamicOnnxResult = {
    layers: 0,
    integerLayers: 0,
    weightsOnlyLayers: 0,
    recurrentLayers: 0,
    tableLayers: 0,
    floatInputs: [],
    skipped: [],
  };
  for (const graph of graphs) quantizeGraph(graph, options, perChannelQdq, skips, result);
  result.skipped = skips.list;
  return result;
}

function quantizeGraph(graph: Graph, options: DynamicOnnxOptions, perChannelQdq: boolean, skips: Skips, result: DynamicOnnxResult): void {
  const cache = new Map<Value, { value: Value; scales: Float32Array; node: Node }>();
  const prepend: Node[] = [];
  for (const node of [...graph.nodes]) {
    if (!LAYER_TYPES.includes(node.opType) && !NOT_HANDLED[node.opType]) continue;
    if (node.opType === 'Gather' && !gathersStoredTable(node)) continue;
    const reason = declined(node, options);
    if (reason) {
      skips.add(node, reason);
      continue;
    }
    if (node.opType === 'Gather') {
      const replacement = embeddingNodes(graph, node);
      if (!replacement) continue;
      graph.replaceNode(node, replacement);
      result.tableLayers++;
      result.layers++;
      continue;
    }
    if (node.opType === 'LSTM') {
      const replacement = dynamicLstmNode(graph, node, options.perChannel);
      if (!replacement) continue;
      graph.replaceNode(node, [replacement]);
      result.recurrentLayers++;
      result.layers++;
      continue;
    }
    let form = options.form === 'weights-only' || node.opType !== 'Conv' ? options.form : options.convForm;
    const needsSmall = form === 'integer' && node.outputs[0] ? smallValuesNeededBy(graph, node.outputs[0]) : undefined;
    if (needsSmall) {
      form = 'weights-only';
      result.floatInputs.push({
        node: node.name || node.outputs[0]?.name || node.opType,
        reason: `its result goes into a ${needsSmall}, which needs the small values an 8-bit input would round to 0`,
      });
    }
    if (form === 'weights-only') {
      const weight = node.inputs[1];
      const axis = weightAxis(node);
      if (!weight || axis === undefined) continue;
      const fresh = !cache.has(weight);
      const w = quantizeWeightQdq(graph, weight, axis, options.perChannel && perChannelQdq, cache);
      if (!w) continue;
      if (fresh) prepend.push(w.node);
      node.setInput(1, w.value);
      result.weightsOnlyLayers++;
    } else {
      const replacement = dynamicIntegerNodes(graph, node, options.perChannel);
      if (!replacement) {
        skips.add(node, `this ${node.opType} form (attributes or weight layout) has no integer rewrite`);
        continue;
      }
      graph.replaceNode(node, replacement);
      result.integerLayers++;
    }
    result.layers++;
  }
  graph.addNodes(prepend, { at: 0 });
}
