import type { DType } from '../../../ir/dtype';
import type { Graph } from '../../../ir/graph';
import { Model } from '../../../ir/model';
import type { Node } from '../../../ir/node';
import type { Tensor } from '../../../ir/tensor';
import type { Value } from '../../../ir/value';
import { LitheError } from '../../../errors';
import { tfliteRecord, type TfliteValueRecord } from '../ir-records';
import { TFLITE_DOMAIN } from '../op-names';
import { OnnxEmitter } from './onnx-emitter';
import { cannot, tensorFacts, type OpContext, type TensorFacts } from './op-context';
import { CONV_POOL_OPS } from './ops-conv-pool';
import { CUSTOM_OPS } from './ops-custom';
import { ELEMENTWISE_OPS } from './ops-elementwise';
import { RECURRENT_OPS } from './ops-lstm';
import { CONTROL_FLOW_OPS } from './ops-control-flow';
import { LOGIC_OPS } from './ops-logic';
import { MISC_OPS } from './ops-misc';
import { SHAPE_OPS } from './ops-shape';
import { SVDF_OPS } from './ops-svdf';
import { CannotConvert, describeUnconvertible, type UnconvertibleOp } from './unconvertible';
import { removeDeadCode } from '../../../passes/util/dead-code';

const CONVERTERS: Record<string, (ctx: OpContext) => void> = {
  ...ELEMENTWISE_OPS,
  ...CONV_POOL_OPS,
  ...SHAPE_OPS,
  ...MISC_OPS,
  ...RECURRENT_OPS,
  ...LOGIC_OPS,
  ...SVDF_OPS,
  ...CONTROL_FLOW_OPS,
};

/** TFLite builtin ops Lithe converts to ONNX. */
export const TFLITE_TO_ONNX_OPS: readonly string[] = Object.keys(CONVERTERS).sort();

/** ONNX opset the converter writes (19: per-axis QDQ, reductions with axes as inputs; 21's QDQ trips onnxruntime 1.30's optimizer). */
export const ONNX_OPSET = 19;

/** Result of {@link tfliteToOnnx}. */
export interface TfliteToOnnxResult {
  model: Model;
  /** Ops that could not be converted; when non-empty the model is incomplete and must not be used. */
  unconvertible: UnconvertibleOp[];
  /** State carried between runs (`exposeState`): feed `initial` to `input` first, then each run's `output`. */
  states: OnnxStateIo[];
  /** What the conversion chose or did that the user should know. */
  notes: string[];
}

/** One TFLite variable tensor exposed as an ONNX input/output pair. */
export interface OnnxStateIo {
  input: string;
  output: string;
  dtype: DType;
  shape: number[];
  /** Little-endian bytes of the initial value (zero, i.e. the zero point when quantized). */
  initial: Uint8Array;
}

/** Options for {@link tfliteToOnnx}. */
export interface TfliteToOnnxOptions {
  /**
   * TFLite variable tensors (e.g. LSTM states) start at zero and live inside the model. By default
   * the ONNX model keeps them inside too: every run starts from the zero state, and the model has
   * the TFLite model's inputs and outputs exactly. `exposeState` makes each one an extra ONNX input
   * (the state before the run) and output (`<name>_next`, the state after it), so a caller can carry
   * state from one run to the next.
   */
  exposeState?: boolean;
}

class Converter {
  private readonly raw = new Map<Value, Value>();
  private readonly float = new Map<Value, Value>();
  /** Values folded into constants at conversion time (DENSIFY of a constant), with their facts when the file's lack quantization. */
  private readonly folded = new Map<Value, { tensor: Tensor; facts: TensorFacts }>();
  readonly stateOutputs: { variable: Value; next: Value }[] = [];

  constructor(
    private readonly variables: 'io' | 'zeros',
    /** The model's subgraphs 1…n (IF branches), by TFLite subgraph index − 1. */
    private readonly called: readonly Graph[],
    readonly em = new OnnxEmitter(),
    readonly notes: string[] = [],
  ) {}

  /**
   * TFLite subgraph `index` as an ONNX subgraph (an If branch): its inputs are the outer values
   * `inputs` (TFLite passes them in), its outputs are produced inside it. Every op of it must convert.
   */
  branch(index: number, inputs: readonly Value[], name: string): Graph {
    const sub = this.called[index - 1] ?? cannot(`subgraph ${index} does not exist`);
    if (sub.inputs.length !== inputs.length) cannot(`subgraph ${index} takes ${sub.inputs.length} inputs, not ${inputs.length}`);
    if (this.variables === 'io' && [...sub.ownValues()].some((v) => tfliteRecord<TfliteValueRecord>(v.extras)?.tensor.isVariable))
      cannot(`subgraph ${index} has state, which cannot be exposed from inside a branch`);
    const inner = new Converter('zeros', this.called, new OnnxEmitter(name, this.em), this.notes);
    sub.inputs.forEach((v, k) => inner.raw.set(v, this.rawOf(inputs[k] ?? cannot(`input ${k + 1} is missing`))));
    const failed = convertNodes(inner, sub);
    if (failed.length) cannot(`its subgraph ${index} cannot be converted: ${describeUnconvertible(failed)}`);
    for (const v of sub.outputs) {
      const produced = inner.raw.get(v) ?? cannot(`subgraph ${index} does not produce its output '${v.name}'`);
      const facts = inner.facts(v);
      // a branch output is produced inside the branch, even when it is a value from outside
      const [out] = inner.em.node('Identity', [produced], [inner.em.value(`${v.name}_${name}`, facts.dtype, facts.shape)]);
      inner.em.graph.outputs.push(out);
    }
    return inner.em.graph;
  }

  facts(v: Value): TensorFacts {
    return this.folded.get(v)?.facts ?? tensorFacts(v);
  }

  /** Binds `v` to the constant `tensor`, stored as is; a quantized `tensor` keeps `quantization` unless `v` has its own. */
  fold(v: Value, tensor: Tensor, quantization: TensorFacts['quantization']): void {
    const own = tensorFacts(v);
    this.folded.set(v, { tensor, facts: own.quantization || !quantization ? own : { ...own, quantization } });
    this.raw.set(v, this.em.constant(tensor.name, tensor.dtype, tensor.dims, tensor.bytes()));
  }

  /** The ONNX value holding a TFLite value as stored. */
  rawOf(v: Value): Value {
    const known = this.raw.get(v);
    if (known) return known;
    const facts = this.facts(v);
    const record = tfliteRecord<TfliteValueRecord>(v.extras);
    let out: Value;
    if (v.initializer) {
      out = this.em.constant(v.name, v.initializer.dtype, v.initializer.dims, v.initializer.bytes());
    } else if (record?.tensor.isVariable && this.variables === 'io') {
      out = this.em.value(v.name, facts.dtype, facts.shape, true);
      this.em.graph.inputs.push(out);
    } else if (record?.tensor.isVariable) {
      // TFLite variable tensors (e.g. LSTM state) start at zero (the zero point when quantized).
      out = this.em.constant(v.name, facts.dtype, facts.shape, initialBytes(facts));
    } else {
      throw new CannotConvert(`tensor '${v.name}' is used before it is produced`);
    }
    this.raw.set(v, out);
    return out;
  }

  /** The float view of a TFLite value (dequantized when quantized). */
  floatOf(v: Value): Value {
    const facts = this.facts(v);
    if (!facts.quantization) return this.rawOf(v);
    const known = this.float.get(v);
    if (known) return known;
    const q = facts.quantization;
    const perAxis = q.scale.length > 1;
    let out: Value;
    if (spelledOut(facts.dtype, perAxis) && !(facts.dtype === 'int32' && q.zeroPoint[0] === 0)) {
      // int16 QDQ needs opset 21 and int32 DequantizeLinear takes no zero point; spell it out: (float(q) − zero point) × scale
      const f = this.em.op('Cast', [this.rawOf(v)], { to: 1 }, `${v.name}_f`);
      const centered = this.em.op('Sub', [f, this.em.float32([q.zeroPoint[0]], [])], {}, `${v.name}_c`);
      out = this.em.op('Mul', [centered, this.em.float32([q.scale[0]], [])], {}, `${v.name}_dq`);
    } else {
      const scale = this.em.float32(q.scale, perAxis ? [q.scale.length] : []);
      const zp = this.zeroPoint(facts.dtype, q.zeroPoint, perAxis);
      out = this.em.op('DequantizeLinear', [this.rawOf(v), scale, zp], perAxis ? { axis: q.axis } : {}, `${v.name}_dq`);
    }
    out.type = { kind: 'tensor', dtype: 'float32', shape: facts.shape };
    this.float.set(v, out);
    return out;
  }

  zeroPoint(dtype: DType, values: readonly number[], perAxis: boolean): Value {
    const dims = perAxis ? [values.length] : [];
    const list = perAxis ? values : values.slice(0, 1);
    const bytes =
      dtype === 'int8'
        ? new Uint8Array(new Int8Array(list).buffer)
        : dtype === 'uint8'
          ? new Uint8Array(list)
          : dtype === 'int16'
            ? new Uint8Array(new Int16Array(list).buffer)
            : new Uint8Array(new Int32Array(list).buffer);
    return this.em.constant('zero_point', dtype, dims, bytes);
  }

  /** Binds a TFLite output to a produced ONNX value, quantizing when the TFLite tensor is quantized. */
  bind(v: Value, produced: Value): void {
    const facts = this.facts(v);
    if (!facts.quantization) {
      this.raw.set(v, produced);
      return;
    }
    const out = this.em.value(v.name, facts.dtype, facts.shape, true);
    this.quantizeInto(facts, produced, out, v.name);
    this.raw.set(v, out);
  }

  /** Writes `produced` into `out`: quantized when `facts` say so (int16 spelled out, see floatOf), else reshaped as is. */
  quantizeInto(facts: TensorFacts, produced: Value, out: Value, base: string): void {
    const q = facts.quantization;
    if (!q) {
      this.em.node('Reshape', [produced, this.em.int64(facts.shape)], [out]);
      return;
    }
    const perAxis = q.scale.length > 1;
    if (spelledOut(facts.dtype, perAxis)) {
      const [low, high] = facts.dtype === 'int16' ? INT16_RANGE : INT32_FLOAT_RANGE;
      const scaled = this.em.op(
        'Round',
        [this.em.op('Div', [produced, this.em.float32([q.scale[0]], [])], {}, `${base}_s`)],
        {},
        `${base}_r`,
      );
      const shifted = this.em.op('Add', [scaled, this.em.float32([q.zeroPoint[0]], [])], {}, `${base}_z`);
      const clipped = this.em.op('Clip', [shifted, this.em.float32([low], []), this.em.float32([high], [])], {}, `${base}_sat`);
      this.em.node('Cast', [clipped], [out], { to: facts.dtype === 'int16' ? 5 : 6 });
      return;
    }
    this.em.node(
      'QuantizeLinear',
      [produced, this.em.float32(q.scale, perAxis ? [q.scale.length] : []), this.zeroPoint(facts.dtype, q.zeroPoint, perAxis)],
      [out],
      perAxis ? { axis: q.axis } : {},
    );
  }

  context(node: Node): OpContext {
    const value = (i: number): Value => {
      const v = node.inputs[i];
      if (!v) throw new CannotConvert(`input ${i} is missing`);
      return v;
    };
    const output = (i: number): Value => {
      const v = node.outputs[i];
      if (!v) throw new CannotConvert(`output ${i} is missing`);
      return v;
    };
    return {
      em: this.em,
      node,
      base: node.outputs.find((o) => o)?.name ?? node.opType.toLowerCase(),
      attr: (name, fallback) => node.int(name, fallback),
      has: (i) => node.inputs[i] !== undefined,
      input: (i) => this.floatOf(value(i)),
      raw: (i) => this.rawOf(value(i)),
      constant: (i) => {
        const v = node.inputs[i];
        return v && (v.initializer ?? this.folded.get(v)?.tensor);
      },
      facts: (i) => this.facts(value(i)),
      outFacts: (i) => this.facts(output(i)),
      setOutput: (i, produced) => this.bind(output(i), produced),
      setStored: (i, produced) => void this.raw.set(output(i), produced),
      setConstant: (i, tensor, quantization) => this.fold(output(i), tensor, quantization),
      branch: (index, inputs, name) => this.branch(index, inputs.map(value), name),
      setState: (i, produced) => this.bindState(value(i), produced),
      setStoredState: (i, produced) => this.bindStoredState(value(i), produced),
      requantize: (i, produced) => this.requantize(value(i), produced),
      stateExposed: this.variables === 'io',
      zeroPoint: (dtype, values) => this.zeroPoint(dtype, values, values.length > 1),
      note: (text) => {
        if (!this.notes.includes(text)) this.notes.push(text);
      },
    };
  }

  graphInput(v: Value): void {
    const facts = this.facts(v);
    const input = this.em.value(v.name, facts.dtype, facts.shape, true);
    // open dimensions stay open (the stored sizes are only where the TFLite runtime starts)
    if (facts.open) input.type = { kind: 'tensor', dtype: facts.dtype, shape: facts.open };
    this.em.graph.inputs.push(input);
    this.raw.set(v, input);
  }

  /** Rounds a float value to the grid of `like`'s quantization (Q then DQ), as TFLite stores it. */
  requantize(like: Value, produced: Value): Value {
    const facts = this.facts(like);
    const q = facts.quantization;
    if (!q) return produced;
    const stored = this.em.value(`${like.name}_q`, facts.dtype);
    this.quantizeInto(facts, produced, stored, like.name);
    if (spelledOut(facts.dtype, q.scale.length > 1)) {
      const f = this.em.op('Cast', [stored], { to: 1 }, `${like.name}_f`);
      return this.em.op(
        'Mul',
        [this.em.op('Sub', [f, this.em.float32([q.zeroPoint[0]], [])], {}, `${like.name}_c`), this.em.float32([q.scale[0]], [])],
        {},
        `${like.name}_dq`,
      );
    }
    const perAxis = q.scale.length > 1;
    return this.em.op(
      'DequantizeLinear',
      [stored, this.em.float32(q.scale, perAxis ? [q.scale.length] : []), this.zeroPoint(facts.dtype, q.zeroPoint, perAxis)],
      perAxis ? { axis: q.axis } : {},
      `${like.name}_dq`,
    );
  }

  /** Records the value a variable tensor holds after the run (an extra output in `io` mode). */
  bindState(variable: Value, produced: Value): void {
    if (this.variables !== 'io') return;
    const facts = this.facts(variable);
    const next = this.em.value(`${variable.name}_next`, facts.dtype, facts.shape, false);
    this.quantizeInto(facts, produced, next, variable.name);
    this.stateOutputs.push({ variable, next });
  }

  /** Like bindState, for a value that already holds the state as TFLite stores it. */
  bindStoredState(variable: Value, produced: Value): void {
    if (this.variables !== 'io') return;
    const facts = this.facts(variable);
    const [next] = this.em.node('Identity', [produced], [this.em.value(`${variable.name}_next`, facts.dtype, facts.shape, false)]);
    this.stateOutputs.push({ variable, next });
  }

  graphOutput(v: Value): void {
    let out = this.raw.get(v);
    if (!out) return;
    if (out.name !== v.name || this.em.graph.inputs.includes(out))
      out = this.em.node('Identity', [out], [this.em.value(v.name, undefined, undefined, true)])[0];
    const facts = this.facts(v);
    out.type = { kind: 'tensor', dtype: facts.dtype, shape: facts.open ?? facts.shape };
    this.em.graph.outputs.push(out);
  }
}

const INT16_RANGE: [number, number] = [-32768, 32767];
/** Converts the nodes of `graph` in order; returns the ops that could not be converted (their consumers are skipped). */
function convertNodes(conv: Converter, graph: Graph): UnconvertibleOp[] {
  const unconvertible: UnconvertibleOp[] = [];
  const failed = new Set<Value>();
  for (const node of graph.nodes) {
    if (node.inputs.some((v) => v && failed.has(v))) {
      // downstream of an op already listed: its own conversion is not the problem
      node.outputs.forEach((v) => v && failed.add(v));
      continue;
    }
    const table = node.domain === TFLITE_DOMAIN ? CONVERTERS : CUSTOM_OPS;
    const convert = Object.hasOwn(table, node.opType) ? table[node.opType] : undefined;
    if (!convert) {
      const why =
        node.domain === TFLITE_DOMAIN ? 'Lithe has no ONNX translation for this TFLite op' : 'custom operators have no ONNX equivalent';
      unconvertible.push({ op: node.opType, node: node.name, reason: why });
      node.outputs.forEach((v) => v && failed.add(v));
      continue;
    }
    try {
      convert(conv.context(node));
    } catch (error) {
      if (!(error instanceof CannotConvert)) throw error;
      unconvertible.push({ op: node.opType, node: node.name, reason: error.message });
      node.outputs.forEach((v) => v && failed.add(v));
    }
  }
  return unconvertible;
}

/** Largest float32 range inside int32 (2³¹ − 1 itself rounds up to 2³¹ in float32). */
const INT32_FLOAT_RANGE: [number, number] = [-2147483648, 2147483520];

/** Quantized data that QuantizeLinear at opset 19 cannot produce: per-tensor int16 and int32 (computed with Round, Clip and Cast). */
function spelledOut(dtype: DType, perAxis: boolean): boolean {
  return !perAxis && (dtype === 'int16' || dtype === 'int32');
}

/** TFLite's initial value of a variable tensor: zero, stored as the zero point for int8. */
function initialBytes(facts: TensorFacts): Uint8Array {
  const size = facts.shape.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(size * bytesPer(facts.dtype));
  if (facts.quantization && facts.dtype === 'int8') bytes.fill(facts.quantization.zeroPoint[0] & 0xff);
  return bytes;
}

function bytesPer(dtype: DType): number {
  return dtype === 'float64' || dtype === 'int64'
    ? 8
    : dtype === 'float32' || dtype === 'int32'
      ? 4
      : dtype === 'int16' || dtype === 'float16'
        ? 2
        : 1;
}

/**
 * Converts a TFLite model (as read into the IR) to an ONNX model with the same inputs and outputs:
 * same names, NHWC layouts and element types, so both run on the same data. Convolutions, pooling
 * and resizing run in NCHW between transposes; quantized tensors become QDQ (QuantizeLinear /
 * DequantizeLinear around float ops). Every op that cannot be converted is listed (op, node, why).
 */
export function tfliteToOnnx(model: Model, options: TfliteToOnnxOptions = {}): TfliteToOnnxResult {
  if (model.format !== TFLITE_DOMAIN) throw new LitheError('invalid-argument', `expected a TFLite model, got ${model.format}`);
  const conv = new Converter(options.exposeState ? 'io' : 'zeros', model.calledGraphs);
  const unconvertible: UnconvertibleOp[] = [];
  const graph = model.graph;
  conv.em.reserve([...graph.inputs, ...graph.outputs, ...graph.nodes.flatMap((n) => n.outputs)].flatMap((v) => (v ? [v.name] : [])));
  graph.inputs.forEach((v) => conv.graphInput(v));
  unconvertible.push(...convertNodes(conv, graph));
  graph.outputs.forEach((v) => conv.graphOutput(v));
  for (const { next } of conv.stateOutputs) conv.em.graph.outputs.push(next);
  // Rules that rewrite a weight (a transposed filter, a folded DENSIFY) leave the stored original unread.
  removeDeadCode(conv.em.graph);
  if (graph.inputs.some((v) => tensorFacts(v).open)) forgetInnerShapes(conv.em.graph);
  const out = new Model('onnx', conv.em.graph);
  out.irVersion = 10;
  out.opsets = [{ domain: '', version: ONNX_OPSET }];
  out.producerName = 'Lithe';
  out.producerVersion = '0.1.0';
  out.docString = `Converted from TFLite${model.sourcePath ? ` (${model.sourcePath})` : ''}`;
  const states = conv.stateOutputs.map(({ variable, next }) => {
    const facts = tensorFacts(variable);
    return { input: variable.name, output: next.name, dtype: facts.dtype, shape: facts.shape, initial: initialBytes(facts) };
  });
  const notes = states.length
    ? [
        `${states.length} recurrent state tensor(s) are model inputs and outputs (${states.map((s) => s.input).join(', ')}): feed zeros first, then each run's new state`,
        ...conv.notes,
      ]
    : conv.notes;
  return { model: out, unconvertible, states, notes };
}

/**
 * Drops the stored sizes from the types of the values inside `graph` (element types stay): with open inputs they hold
 * only at the stored sizes, and onnxruntime works the shapes out from the inputs it is given.
 */
function forgetInnerShapes(graph: Graph): void {
  const ends = new Set([...graph.inputs, ...graph.outputs]);
  for (const value of graph.ownValues())
    if (!ends.has(value) && !value.initializer && value.type?.kind === 'tensor') value.type = { kind: 'tensor', dtype: value.type.dtype };
}

/** Like {@link tfliteToOnnx}, but throws an `unsupported` LitheError listing every op that cannot be converted. */
export function convertTfliteToOnnx(model: Model, file?: string, options: TfliteToOnnxOptions = {}): Model {
  const { model: out, unconvertible } = tfliteToOnnx(model, options);
  if (unconvertible.length) {
    throw new LitheError('unsupported', `cannot convert to ONNX: ${describeUnconvertible(unconvertible)}`, { file });
  }
  return out;
}
