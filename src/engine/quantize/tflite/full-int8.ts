/**
 * Full-integer TFLite quantization on the IR: every operator with an int8 kernel computes in int8.
 *
 *   x f32 ─ CONV_2D(W f32, b f32) ─ y f32 ─ EXP ─ z      x i8 ─ CONV_2D(W i8, b i32) ─ y i8 ─ DEQUANTIZE ─ EXP ─ z
 *                                                   →    (QUANTIZE/DEQUANTIZE where an int8 and a float operator meet)
 *
 *   activations: real = s·(q − z), s and z from the calibrated range [min, max] (int8, asymmetric)
 *   weights:     symmetric int8 per output channel (CONV_2D and FULLY_CONNECTED axis 0, DEPTHWISE_CONV_2D axis 3)
 *   bias:        int32 with s_b = s_input · s_weight[c], zero point 0
 *   16x8 (activations 'int16'): activations int16 symmetric (zero point 0, s = max|x| / 32767),
 *                weights int8 as above, bias int64 — the size of int8, activations 256× finer
 * Operators that only move bytes share one scale across inputs and outputs; SOFTMAX, LOGISTIC and
 * TANH have the fixed output scales their kernels require. Weights stored float16 behind
 * DEQUANTIZE (MediaPipe) are read as float and quantized; weights stored sparse (DENSIFY) are
 * expanded, quantized and stored sparse again as int8 where that is smaller.
 */
import type { DataSource } from '../../data/batch';
import type { EngineContext } from '../../context';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import { Node } from '../../ir/node';
import { Value } from '../../ir/value';
import type { TensorType } from '../../ir/value-type';
import { intAttr, setAttribute } from '../../passes/util/attributes';
import { removeDeadCode } from '../../passes/util/dead-code';
import { nodeLabel, Skips } from '../../passes/util/skips';
import type { SkippedCandidate } from '../../passes/pass';
import { calibrateRanges, type CalibrationOptions, type TensorRange } from '../calibrate';
import { isExcluded } from '../onnx/quantizable';
import { computeParams, weightScaleAxis, type QuantParams } from '../quant-math';
import { INT8_OPS, type Int8Op } from './int8-ops';
import { activationConstant, integerBias, int8Weight } from './int8-tensors';
import { quantizeLstm, lstmProblem, LSTM_OP } from './lstm-int8';
import { floatConstant, isTfliteOp, keepNames } from './tflite-constants';
import { tfliteOpVersion } from '../../formats/tflite/ir-records';
import { storeSparse } from '../../compress/tflite/sparsify-weights';

/** Options of full-integer TFLite quantization. */
export interface FullIntegerOptions extends CalibrationOptions {
  /** `int8`: the model takes and gives int8 (with their scales); `float`: float32 in and out, converted at the edges. */
  io: 'int8' | 'float';
  /** Layers to keep in float: node names, output names or operator types. */
  exclude: readonly string[];
  /** Convolution weights with one scale per output channel (else one per tensor). */
  perChannel: boolean;
  /** With perChannel: a weight that keeps this SQNR (dB) with one scale gets one scale (see weightScaleAxis). */
  perTensorFromDb?: number;
  /** Integer type of activations: int8, or int16 (TFLite's 16x8 kernels; weights stay int8). Default int8. */
  activations?: ActivationType;
  /**
   * Activation ranges measured before (by value name), e.g. by an earlier run with nothing excluded:
   * no calibration runs. A value missing from it is calibrated.
   */
  ranges?: ReadonlyMap<string, TensorRange>;
}

/** What full-integer quantization did. */
export interface FullIntegerResult {
  layers: number;
  activations: number;
  /** Operators left in float, each with the reason. */
  skipped: SkippedCandidate[];
  notes: string[];
  /** The activation ranges used (to quantize the same float model again without calibrating). */
  ranges: ReadonlyMap<string, TensorRange>;
}

const FLOAT = 'float32' as const;

/** Integer type of the activations of a full-integer model. */
export type ActivationType = 'int8' | 'int16';

/** Scale and zero point of an activation in [min, max]: int8 asymmetric, int16 symmetric (as the 16x8 kernels require). */
function activationParams(min: number, max: number, type: ActivationType): QuantParams {
  if (type === 'int8') return computeParams(min, max, 'int8', false);
  const bound = Math.max(Math.abs(min), Math.abs(max));
  return { scale: bound > 0 ? bound / 32767 : 1, zeroPoint: 0 };
}

function dtypeOf(v: Value | undefined): string | undefined {
  return v?.type?.kind === 'tensor' ? v.type.dtype : v?.initializer?.dtype;
}

// The int8 description of `node`, or why it stays float.
function int8OpFor(graph: Graph, node: Node, options: FullIntegerOptions): Int8Op | string {
  if (isExcluded(node, options.exclude)) return 'kept in float by the recipe';
  const int16 = options.activations === 'int16';
  if (node.opType === LSTM_OP && int16) return 'its 16x8 form is not written by Lithe';
  if (node.opType === LSTM_OP) return lstmProblem(node) ?? { version: 1, data: [0] };
  const op = INT8_OPS[node.opType];
  if (!op) return `TFLite has no int8 kernel for ${node.opType}`;
  if (int16 && !op.int16) return `TFLite has no 16x8 kernel for ${node.opType}`;
  for (const w of op.weights ?? []) {
    const weight = floatConstant(graph, node.inputs[w.input]);
    if (!weight) return 'its weights are computed at run time, not stored';
    if (w.axis !== undefined && weight.dims.length <= w.axis) return 'its weights have an unexpected shape';
  }
  if (op.bias && node.inputs[op.bias.input] && !floatConstant(graph, node.inputs[op.bias.input])) return 'its bias is computed at run time';
  const special = new Set([...(op.weights ?? []).map((w) => w.input), ...(op.bias ? [op.bias.input] : [])]);
  for (const [i, v] of node.inputs.entries()) {
    if (!v || special.has(i) || dtypeOf(v) !== FLOAT) continue;
    if (op.data && !op.data.includes(i)) return `its input ${i} is float but not data`;
    if (v.initializer && !floatConstant(graph, v)) return `its constant input '${v.name}' cannot be read`;
  }
  return op;
}

// Values an int8 node reads or writes as activations (float32, computed at run time).
function activationsOf(graph: Graph, node: Node, op: Int8Op): Value[] {
  const data = op.data ?? node.inputs.map((_, i) => i);
  const ins = data
    .map((i) => node.inputs[i])
    .filter((v): v is Value => v !== undefined && dtypeOf(v) === FLOAT && !floatConstant(graph, v));
  const outs = node.opType === LSTM_OP ? node.outputs.slice(0, 1) : node.outputs;
  return [...ins, ...outs.filter((v): v is Value => v !== undefined && dtypeOf(v) === FLOAT)];
}

// Union-find over values that must share one scale.
class ScaleGroups {
  readonly #parent = new Map<Value, Value>();
  find(v: Value): Value {
    let root = v;
    for (let p = this.#parent.get(root); p && p !== root; p = this.#parent.get(root)) root = p;
    this.#parent.set(v, root);
    return root;
  }
  union(a: Value, b: Value): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.#parent.set(rb, ra);
  }
}

// Chooses each activation's parameters: one per same-scale group, fixed where a kernel fixes them.
function chooseParams(
  int8: Map<Node, Int8Op>,
  acts: Set<Value>,
  ranges: ReadonlyMap<string, TensorRange>,
  type: ActivationType,
): Map<Value, QuantParams> {
  const groups = new ScaleGroups();
  const fixed = new Map<Value, QuantParams>();
  for (const [node, op] of int8) {
    const members = [...node.inputs, ...node.outputs].filter((v): v is Value => v !== undefined && acts.has(v));
    if (op.sameScale) for (const m of members.slice(1)) if (members[0]) groups.union(members[0], m);
    const out = node.outputs[0];
    const output = type === 'int16' ? op.int16?.output : op.output;
    if (output && out && acts.has(out)) fixed.set(out, output);
  }
  const range = new Map<Value, TensorRange>();
  const pinned = new Map<Value, QuantParams>();
  for (const v of acts) {
    const root = groups.find(v);
    const r = ranges.get(v.name) ?? { min: 0, max: 0 };
    const known = range.get(root);
    range.set(root, known ? { min: Math.min(known.min, r.min), max: Math.max(known.max, r.max) } : { ...r });
    const f = fixed.get(v);
    if (f && !pinned.has(root)) pinned.set(root, f);
  }
  const params = new Map<Value, QuantParams>();
  for (const v of acts) {
    const root = groups.find(v);
    const r = range.get(root) ?? { min: 0, max: 0 };
    params.set(v, pinned.get(root) ?? activationParams(r.min, r.max, type));
  }
  return params;
}

// Where an activation is stored int8 and where float is needed, and the QUANTIZE/DEQUANTIZE between them.
function rewireActivation(
  graph: Graph,
  v: Value,
  p: QuantParams,
  int8: Map<Node, Int8Op>,
  io: FullIntegerOptions['io'],
  dtype: ActivationType,
): number {
  const quantization = { scale: [p.scale], zeroPoint: [p.zeroPoint], axis: 0 };
  // QUANTIZE to int16 is version 2, DEQUANTIZE of int16 version 3.
  const converter = (op: 'QUANTIZE' | 'DEQUANTIZE', from: Value, to: Value, name: string): Node => {
    const node = new Node(op, [from], [to], { name, domain: 'tflite' });
    if (dtype === 'int16') setAttribute(node, 'version', intAttr(op === 'QUANTIZE' ? 2 : 3));
    return node;
  };
  const type: TensorType = v.type?.kind === 'tensor' ? v.type : { kind: 'tensor', dtype: FLOAT };
  const producer = graph.producerOf(v);
  const isInput = graph.inputs.includes(v);
  const storedInt8 = (producer !== undefined && int8.has(producer)) || (isInput && io === 'int8');
  const intReaders = v.consumers.filter((n) => n.graph === graph && int8.has(n));
  const floatReaders = v.consumers.filter((n) => !(n.graph === graph && int8.has(n)));
  const floatOutput = graph.outputs.includes(v) && io === 'float';
  if (storedInt8 && floatReaders.length === 0 && !floatOutput) {
    v.type = { ...type, dtype };
    v.quantization = quantization;
    return 0;
  }
  const q = graph.define(new Value(graph.freshName(`${v.name}_${dtype}`), { ...type, dtype }));
  q.quantization = quantization;
  if (storedInt8 && producer) {
    // The producer writes int8; the float value comes from a DEQUANTIZE right after it.
    producer.replaceOutput(v, q);
    for (const n of intReaders) n.replaceInput(v, q);
    graph.addNode(converter('DEQUANTIZE', q, v, `${v.name}_dequantize`), { after: producer });
    return 1;
  }
  if (storedInt8) {
    // An int8 model input read by float operators too.
    v.type = { ...type, dtype };
    v.quantization = quantization;
    q.type = type;
    q.quantization = undefined;
    for (const n of floatReaders) n.replaceInput(v, q);
    graph.addNode(converter('DEQUANTIZE', v, q, `${v.name}_dequantize`), { at: 0 });
    return 1;
  }
  for (const n of intReaders) n.replaceInput(v, q);
  const position = producer ? { after: producer } : { at: 0 };
  graph.addNode(converter('QUANTIZE', v, q, `${v.name}_quantize`), position);
  return 1;
}

// Stores the node's weights, bias and other constants as integers.
function quantizeConstants(
  graph: Graph,
  node: Node,
  op: Int8Op,
  params: ReadonlyMap<Value, QuantParams>,
  weights: Pick<FullIntegerOptions, 'perChannel' | 'perTensorFromDb'>,
  replaced: Map<Value, Value>,
  type: ActivationType,
): void {
  const replace = (i: number, q: Value): void => {
    const before = node.inputs[i];
    if (before) replaced.set(before, q);
    node.setInput(i, q);
  };
  const base = nodeLabel(node);
  const scales = new Map<number, number[]>();
  for (const w of op.weights ?? []) {
    const weight = floatConstant(graph, node.inputs[w.input]);
    if (!weight) continue;
    const axis = weights.perChannel ? weightScaleAxis(weight.data, weight.dims, w.axis, weights.perTensorFromDb) : undefined;
    const q = int8Weight(graph, `${base}_weights`, weight, axis);
    scales.set(w.input, q.quantization?.scale ?? [1]);
    replace(w.input, q);
    if (weight.sparse && q.initializer) storeSparse(graph, q, q.initializer);
  }
  const input = op.bias ? node.inputs[op.bias.data] : undefined;
  const inputParams = input ? params.get(input) : undefined;
  const bias = op.bias ? floatConstant(graph, node.inputs[op.bias.input]) : undefined;
  if (op.bias && bias && inputParams) {
    const q = integerBias(
      graph,
      `${base}_bias`,
      bias,
      inputParams.scale,
      scales.get(op.bias.weight) ?? [1],
      type === 'int16' ? 'int64' : 'int32',
    );
    if (q) replace(op.bias.input, q);
  }
  const special = new Set([...(op.weights ?? []).map((w) => w.input), ...(op.bias ? [op.bias.input] : [])]);
  const output = node.outputs[0];
  for (const [i, v] of node.inputs.entries()) {
    if (!v || special.has(i) || dtypeOf(v) !== FLOAT) continue;
    const c = floatConstant(graph, v);
    if (!c) continue;
    // A constant joins the operator's shared scale, or gets a range of its own.
    const shared = op.sameScale && output ? params.get(output) : undefined;
    const lo = c.data.reduce((a, b) => Math.min(a, b), 0);
    const hi = c.data.reduce((a, b) => Math.max(a, b), 0);
    replace(i, activationConstant(graph, `${v.name}_${base}`, c, shared ?? activationParams(lo, hi, type), type));
  }
}

/**
 * Quantizes the main graph of a TFLite model to full integer in place (see the header). Operators
 * without an int8 kernel, excluded ones and those whose weights are computed at run time stay float,
 * with QUANTIZE/DEQUANTIZE where they meet int8 ones; each is listed with its reason.
 */
export async function fullIntegerTflite(
  model: Model,
  source: DataSource,
  options: FullIntegerOptions,
  ctx: EngineContext = {},
): Promise<FullIntegerResult> {
  const graph = model.graph;
  const skips = new Skips();
  const int8 = new Map<Node, Int8Op>();
  for (const node of graph.nodes) {
    if (!isTfliteOp(node) || node.opType === 'DEQUANTIZE' || node.opType === 'QUANTIZE') continue;
    if (![...node.inputs, ...node.outputs].some((v) => dtypeOf(v) === FLOAT && !floatConstant(graph, v))) continue;
    const op = int8OpFor(graph, node, options);
    if (typeof op === 'string') skips.add(node, op);
    else int8.set(node, op);
  }
  const acts = new Set<Value>();
  for (const [node, op] of int8) for (const v of activationsOf(graph, node, op)) acts.add(v);
  const notes: string[] = [];
  if (int8.size === 0)
    return { layers: 0, activations: 0, skipped: skips.list, notes: ['No operator could be quantized to int8.'], ranges: new Map() };
  const known = options.ranges ?? new Map<string, TensorRange>();
  const missing = [...acts].map((v) => v.name).filter((name) => !known.has(name));
  const ranges = new Map([...known, ...(missing.length > 0 ? await calibrateRanges(model, missing, source, options, ctx) : [])]);
  const type = options.activations ?? 'int8';
  const params = chooseParams(int8, acts, ranges, type);
  const replaced = new Map<Value, Value>();
  for (const [node, op] of int8) {
    if (node.opType === LSTM_OP) quantizeLstm(graph, node, params, replaced);
    else quantizeConstants(graph, node, op, params, options, replaced, type);
    const version = type === 'int16' ? (op.int16?.version ?? op.version) : op.version;
    setAttribute(node, 'version', intAttr(Math.max(tfliteOpVersion(node), version)));
  }
  let converters = 0;
  for (const v of acts) {
    const p = params.get(v);
    if (p) converters += rewireActivation(graph, v, p, int8, options.io, type);
  }
  removeDeadCode(graph);
  keepNames(graph, replaced);
  if (converters > 0) notes.push(`${converters} QUANTIZE/DEQUANTIZE operator(s) convert between int8 and float where they meet.`);
  return { layers: int8.size, activations: acts.size, skipped: skips.list, notes, ranges };
}
