import type { DType } from '../../../ir/dtype';
import { Model } from '../../../ir/model';
import type { Node } from '../../../ir/node';
import { inferShapes } from '../../../ir/shape-inference';
import type { Value } from '../../../ir/value';
import { LitheError } from '../../../errors';
import { TFLITE_DOMAIN } from '../op-names';
import { cancelTransposePairs } from './cancel-transposes';
import { ONNX_TO_TFLITE } from './onnx-ops';
import { TfliteEmitter } from './tflite-emitter';
import { CannotConvert, describeUnconvertible, type UnconvertibleOp } from './unconvertible';

/** What an ONNX op converter sees. */
export interface OnnxOpContext {
  readonly em: TfliteEmitter;
  readonly node: Node;
  /** The ONNX output name, as a readable base for new TFLite values. */
  readonly base: string;
  /** Static shape of an ONNX value (dynamic dimensions are taken as 1). */
  shape(v: Value | undefined): number[];
  /** The TFLite value for ONNX input `i`. */
  input(i: number): Value;
  /** The constant data of ONNX input `i` as float32 or int numbers, when constant. */
  constFloats(i: number): Float32Array | undefined;
  constInts(i: number): number[] | undefined;
  /**
   * A new TFLite value for ONNX output `i` (same name, static shape). `shape` supplies the shape when
   * the IR's shape inference could not; later values are then inferred again from it.
   */
  output(i: number, shape?: number[]): Value;
  /** Makes ONNX output `i` the same tensor as `value` (for Identity-like ops). */
  alias(i: number, value: Value): void;
}

/** Result of {@link onnxToTflite}. */
export interface OnnxToTfliteResult {
  model: Model;
  unconvertible: UnconvertibleOp[];
}

const staticShape = (v: Value | undefined): number[] => {
  const type = v?.type?.kind === 'tensor' ? v.type : undefined;
  if (!type?.shape) throw new CannotConvert(`the shape of '${v?.name ?? '?'}' is unknown`);
  return type.shape.map((d) => (typeof d === 'number' ? d : 1));
};

function floatsOf(v: Value | undefined): Float32Array | undefined {
  const t = v?.initializer;
  if (!t) return undefined;
  if (t.dtype === 'float32') return Float32Array.from(t.toTypedArray() as Float32Array);
  if (t.dtype === 'float64' || t.dtype.startsWith('int')) return Float32Array.from(t.toTypedArray() as ArrayLike<number | bigint>, Number);
  return undefined;
}

/**
 * Converts an ONNX model (in the IR) to TFLite operators in the IR, ready for {@link tfliteFromIr}.
 * Inputs and outputs keep their ONNX names and NCHW layouts (dynamic dimensions become 1), so both
 * models run on the same data; convolution-like ops run in NHWC between TRANSPOSE ops, and
 * back-to-back transposes that cancel are removed. Every op that cannot be converted is listed.
 */
export function onnxToTflite(source: Model): OnnxToTfliteResult {
  if (source.format !== 'onnx') throw new LitheError('invalid-argument', `expected an ONNX model, got ${source.format}`);
  inferShapes(source);
  const em = new TfliteEmitter();
  const map = new Map<Value, Value>();
  const unconvertible: UnconvertibleOp[] = [];
  const failed = new Set<Value>();
  const tfliteOf = (v: Value): Value => {
    const known = map.get(v);
    if (known) return known;
    if (v.initializer) {
      const t = v.initializer;
      let out: Value;
      if (t.dtype === 'int64') out = em.int32(Array.from(t.toTypedArray() as BigInt64Array, Number), t.dims);
      else if (t.dtype === 'float32' || t.dtype === 'int32' || t.dtype === 'int8' || t.dtype === 'uint8')
        out = em.constant(t.name, t.dtype as DType, t.dims, t.bytes());
      else throw new CannotConvert(`constant '${t.name}' has element type ${t.dtype}`);
      map.set(v, out);
      return out;
    }
    throw new CannotConvert(`'${v.name}' is used before it is produced`);
  };
  for (const v of source.graph.inputs) {
    if (v.initializer) continue;
    const type = v.type?.kind === 'tensor' ? v.type : undefined;
    if (type?.dtype !== 'float32') {
      unconvertible.push({ op: 'input', node: v.name, reason: `input type ${type?.dtype ?? 'unknown'} is not supported (float32 only)` });
      continue;
    }
    const input = em.value(v.name, staticShape(v));
    em.graph.inputs.push(input);
    map.set(v, input);
  }
  for (const node of source.graph.nodes) {
    if (node.inputs.some((v) => v && failed.has(v))) {
      node.outputs.forEach((o) => o && failed.add(o));
      continue;
    }
    const convert = node.domain === '' || node.domain === 'ai.onnx' ? ONNX_TO_TFLITE[node.opType] : undefined;
    try {
      if (!convert) throw new CannotConvert('Lithe has no TFLite translation for this ONNX op');
      const ctx: OnnxOpContext = {
        em,
        node,
        base: node.outputs.find((o) => o)?.name ?? node.opType.toLowerCase(),
        shape: staticShape,
        input: (i) => {
          const v = node.inputs[i];
          if (!v) throw new CannotConvert(`input ${i} is missing`);
          return tfliteOf(v);
        },
        constFloats: (i) => floatsOf(node.inputs[i]),
        constInts: (i) => {
          const f = floatsOf(node.inputs[i]);
          return f ? Array.from(f) : undefined;
        },
        output: (i, shape) => {
          const o = node.outputs[i];
          if (!o) throw new CannotConvert(`output ${i} is missing`);
          if (shape && !(o.type?.kind === 'tensor' && o.type.shape)) {
            o.type = { kind: 'tensor', dtype: 'float32', shape };
            inferShapes(source);
          }
          const out = em.value(o.name, staticShape(o));
          map.set(o, out);
          return out;
        },
        alias: (i, value) => {
          const o = node.outputs[i];
          if (o) map.set(o, value);
        },
      };
      convert(ctx);
    } catch (error) {
      if (!(error instanceof CannotConvert)) throw error;
      unconvertible.push({ op: node.opType, node: node.name || node.outputs[0]?.name || '?', reason: error.message });
      node.outputs.forEach((o) => o && failed.add(o));
    }
  }
  for (const v of source.graph.outputs) {
    const out = map.get(v);
    if (out) em.graph.outputs.push(out);
  }
  cancelTransposePairs(em.graph);
  const model = new Model(TFLITE_DOMAIN, em.graph);
  model.docString = `Converted from ONNX by Lithe${source.sourcePath ? ` (${source.sourcePath})` : ''}`;
  return { model, unconvertible };
}

/** Like {@link onnxToTflite}, but throws an `unsupported` LitheError listing every op that cannot be converted. */
export function convertOnnxToTflite(model: Model, file?: string): Model {
  const { model: out, unconvertible } = onnxToTflite(model);
  if (unconvertible.length)
    throw new LitheError('unsupported', `cannot convert to TFLite: ${describeUnconvertible(unconvertible)}`, { file });
  return out;
}
