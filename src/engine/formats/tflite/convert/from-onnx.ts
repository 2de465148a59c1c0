import type { EngineContext } from '../../../context';
import { LitheError } from '../../../errors';
import type { Graph } from '../../../ir/graph';
import { Model } from '../../../ir/model';
import type { Value } from '../../../ir/value';
import type { PlannedInput } from '../../../runtime/onnx/input-plan';
import { TFLITE_DOMAIN } from '../op-names';
import { OnnxTranslation } from './from-onnx/context';
import { ONNX_CONVERTERS } from './from-onnx/converters';
import { fuseErfGelu } from './from-onnx/fuse-gelu';
import { lowerEinsum } from './from-onnx/lower-einsum';
import { lowerNormalization } from './from-onnx/lower-normalization';
import { inferShapes } from '../../../ir/shape-inference';
import { tfliteDtype } from './from-onnx/narrow';
import { prepareOnnx, type PrepareOptions } from './from-onnx/prepare';
import { cleanUpTflite } from './from-onnx/tflite-cleanup';
import { TfliteEmitter } from './tflite-emitter';
import { CannotConvert, describeUnconvertible, type UnconvertibleOp } from './unconvertible';

/** Options for {@link onnxToTflite}. */
export type OnnxToTfliteOptions = PrepareOptions;

/** Result of {@link onnxToTflite}. */
export interface OnnxToTfliteResult {
  model: Model;
  /** Ops that could not be converted; when non-empty the model is incomplete and must not be written. */
  unconvertible: UnconvertibleOp[];
  /** What the conversion chose or did that the user should know (sizes fixed, constants folded, …). */
  notes: string[];
  /** Every input with the fixed shape the converted model has: run the original with the same sizes to compare. */
  inputs: PlannedInput[];
}

/**
 * Converts an ONNX model to TFLite operators in the IR, ready for {@link tfliteFromIr}. The model is
 * prepared first (see `prepareOnnx`: open sizes fixed, constants folded, If nodes resolved), which
 * rewrites `source` in place. Inputs and outputs keep their ONNX names, layouts and (narrowed)
 * element types, so both models run on the same data; convolutions run in NHWC, and data stays in
 * whatever layout it is in until an op needs another. Every op that cannot be converted is listed.
 */
export async function onnxToTflite(source: Model, options: OnnxToTfliteOptions = {}, ctx: EngineContext = {}): Promise<OnnxToTfliteResult> {
  if (source.format !== 'onnx') throw new LitheError('invalid-argument', `expected an ONNX model, got ${source.format}`);
  refuseWideDimensions(source.graph);
  const prepared = await prepareOnnx(source, options, ctx);
  const translated = translateOnnx(source);
  // an If that preparing could not resolve is listed with the reason preparing found
  const unresolved = new Set(prepared.unselectable.map((u) => u.node));
  const unconvertible = translated.unconvertible.filter((u) => !(u.op === 'If' && unresolved.has(u.node)));
  for (const { node, reason } of prepared.unselectable) unconvertible.push({ op: 'If', node, reason });
  const model = translated.model;
  return { model, unconvertible, notes: prepared.notes, inputs: prepared.inputs };
}

/**
 * TFLite's dimensions are int32. A declared input or output dimension beyond that is refused before
 * anything runs: preparing would otherwise make inputs of that size (2^31 floats are 8 GB).
 */
function refuseWideDimensions(graph: Graph): void {
  for (const v of [...graph.inputs, ...graph.outputs]) {
    const shape = v.type?.kind === 'tensor' ? (v.type.shape ?? []) : [];
    const wide = shape.find((d) => typeof d === 'number' && d > 2 ** 31 - 1);
    if (wide !== undefined)
      throw new LitheError(
        'unsupported',
        `cannot convert to TFLite: '${v.name}' has a dimension of ${wide}, and TFLite's dimensions are 32-bit (at most ${2 ** 31 - 1})`,
      );
  }
}

// Operators whose result length depends on the data: Lithe's TFLite graphs have a fixed shape for every tensor
const FIXED = "Lithe's TFLite translation gives every tensor a fixed shape";
const DATA_DEPENDENT_LENGTH: Readonly<Record<string, string>> = {
  NonMaxSuppression: `how many boxes it keeps depends on the data, and ${FIXED}; TFLite detectors usually do this step outside the model (or in the custom TFLite_Detection_PostProcess operator)`,
  NonZero: `how many positions it returns depends on the data, and ${FIXED}`,
  Unique: `how many values it returns depends on the data, and ${FIXED}`,
  Compress: `how many elements it keeps depends on the data, and ${FIXED}`,
};

/** Translates a prepared ONNX model (static shapes, constants folded) op by op. */
export function translateOnnx(source: Model): { model: Model; unconvertible: UnconvertibleOp[] } {
  const em = new TfliteEmitter();
  fuseErfGelu(source.graph);
  const opset = source.opsetVersion('') ?? 13;
  if (lowerNormalization(source.graph, opset) + lowerEinsum(source.graph, opset) > 0) inferShapes(source);
  const read = new Set<Value>(source.graph.outputs);
  for (const n of source.graph.nodes) for (const v of n.inputs) if (v) read.add(v);
  const tr = new OnnxTranslation(em, opset, read);
  const unconvertible: UnconvertibleOp[] = [];
  const failed = new Set<Value>();
  const graph = source.graph;
  for (const v of graph.inputs) {
    if (v.initializer) continue;
    try {
      const type = v.type?.kind === 'tensor' ? v.type : undefined;
      const dtype = tfliteDtype(type?.dtype ?? 'undefined');
      const shape = (type?.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
      const input = em.value(v.name, shape, dtype);
      em.graph.inputs.push(input);
      tr.place(v, input);
    } catch (error) {
      if (!(error instanceof CannotConvert)) throw error;
      unconvertible.push({ op: 'input', node: v.name, reason: error.message });
      failed.add(v);
    }
  }
  const order = graph.topologicalOrder().order ?? [...graph.nodes];
  for (const node of order) {
    if (node.inputs.some((v) => v && failed.has(v))) {
      node.outputs.forEach((o) => o && failed.add(o));
      continue;
    }
    const convert = node.domain === '' || node.domain === 'ai.onnx' ? ONNX_CONVERTERS[node.opType] : undefined;
    try {
      if (!convert)
        throw new CannotConvert(
          node.domain && node.domain !== 'ai.onnx'
            ? `operators of domain '${node.domain}' have no TFLite translation`
            : (DATA_DEPENDENT_LENGTH[node.opType] ?? 'Lithe has no TFLite translation for this ONNX op'),
        );
      convert(tr.context(node));
    } catch (error) {
      if (!(error instanceof CannotConvert)) throw error;
      unconvertible.push({ op: node.opType, node: node.name || node.outputs[0]?.name || '?', reason: error.message });
      node.outputs.forEach((o) => o && failed.add(o));
    }
  }
  if (!unconvertible.length) bindOutputs(tr, em, graph.outputs, unconvertible);
  cleanUpTflite(em.graph);
  const model = new Model(TFLITE_DOMAIN, em.graph);
  model.docString = `Converted from ONNX by Lithe${source.sourcePath ? ` (${source.sourcePath})` : ''}`;
  return { model, unconvertible };
}

/** Makes each ONNX output a TFLite output of the same name, in the ONNX layout. */
function bindOutputs(tr: OnnxTranslation, em: TfliteEmitter, outputs: readonly Value[], unconvertible: UnconvertibleOp[]): void {
  const bound = new Set<Value>();
  for (const o of outputs) {
    try {
      let value = tr.inLayout(o, undefined);
      // an output must be a tensor of its own: not an input, a constant or another output
      if (value.initializer || em.graph.inputs.includes(value) || bound.has(value)) {
        const shape = value.type?.kind === 'tensor' && value.type.shape ? value.type.shape.map(Number) : [];
        const copy = em.value(`${o.name}_copy`, shape, value.type?.kind === 'tensor' ? value.type.dtype : 'float32');
        value = em.op('RESHAPE', [value, em.int32(shape)], copy, { new_shape: shape });
      }
      if (value.name !== o.name) {
        const holder = em.graph.value(o.name);
        if (holder && holder !== value) em.graph.rename(holder, em.unique(`${o.name}_inner`));
        em.graph.rename(value, o.name);
      }
      em.graph.outputs.push(value);
      bound.add(value);
    } catch (error) {
      if (!(error instanceof CannotConvert)) throw error;
      unconvertible.push({ op: 'output', node: o.name, reason: error.message });
    }
  }
}

/** Like {@link onnxToTflite}, but throws an `unsupported` LitheError listing every op that cannot be converted. */
export async function convertOnnxToTflite(model: Model, file?: string, options: OnnxToTfliteOptions = {}): Promise<Model> {
  const { model: out, unconvertible } = await onnxToTflite(model, options);
  if (unconvertible.length)
    throw new LitheError('unsupported', `cannot convert to TFLite: ${describeUnconvertible(unconvertible)}`, { file });
  return out;
}
