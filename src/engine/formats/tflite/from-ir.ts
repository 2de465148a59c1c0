import { isDeepStrictEqual } from 'node:util';
import { internalError, LitheError } from '../../errors';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import { dtypeToTflite } from './dtype-map';
import {
  tfliteRecord,
  type TfliteGraphRecord,
  type TfliteInitializerRecord,
  type TfliteModelRecord,
  type TfliteNodeRecord,
  type TfliteValueRecord,
} from './ir-records';
import { OPTIONS_FOR_OP } from './op-options';
import { builtinCodeOf, TFLITE_CUSTOM_DOMAIN, TFLITE_DOMAIN } from './op-names';
import { applyAttributes, optionsToAttributes } from './options-attributes';
import { quantizationToTflite } from './quantization-ir';
import type {
  TfliteBuffer,
  TfliteBuiltinOptions,
  TfliteModel,
  TfliteOperator,
  TfliteOperatorCode,
  TfliteSignatureDef,
  TfliteSubgraph,
  TfliteTensor,
} from './tflite-model';

interface Context {
  codes: TfliteOperatorCode[];
  buffers: TfliteBuffer[];
  sourceBuffers: TfliteBuffer[];
}

function codeIndex(ctx: Context, code: TfliteOperatorCode, preferred: number | undefined): number {
  if (preferred !== undefined && ctx.codes[preferred] === code) return preferred;
  const at = ctx.codes.findIndex((c) => c.code === code.code && c.customCode === code.customCode && c.version === code.version);
  if (at >= 0) return at;
  ctx.codes.push(code);
  return ctx.codes.length - 1;
}

// The node's operator code: the one it was read with (at its `version` attribute, when a pass set one), or a new entry.
function operatorCodeFor(node: Node, record: TfliteNodeRecord | undefined): TfliteOperatorCode {
  if (record && sameOperator(node, record)) {
    const version = node.attribute('version') ? node.int('version', record.code.version) : record.code.version;
    return version === record.code.version ? record.code : { ...record.code, version };
  }
  if (node.domain === TFLITE_CUSTOM_DOMAIN)
    return { code: 32, builtinCode: 32, deprecatedBuiltinCode: 32, customCode: node.opType, version: 1 };
  const code = node.domain === TFLITE_DOMAIN ? builtinCodeOf(node.opType) : undefined;
  if (code === undefined) {
    throw new LitheError(
      'unsupported',
      `node '${node.name}' is ${node.domain || 'ai.onnx'}.${node.opType}, which is not a TFLite operator; convert the model to TFLite operators first`,
    );
  }
  return { code, builtinCode: code, deprecatedBuiltinCode: Math.min(code, 127), customCode: null, version: node.int('version', 1) };
}

// True when `node` is still the operator it was read as.
function sameOperator(node: Node, record: TfliteNodeRecord): boolean {
  return node.domain === TFLITE_CUSTOM_DOMAIN ? record.code.customCode === node.opType : builtinCodeOf(node.opType) === record.code.code;
}

interface ChosenOptions {
  union: 1 | 2;
  options: TfliteBuiltinOptions;
}

function optionsFor(node: Node, record: TfliteNodeRecord | undefined, code: number): ChosenOptions | null {
  const attributes = node.attributes.filter((a) => a.name !== 'custom_options' && a.name !== 'version');
  const union = record?.operator.builtinOptions ? 1 : 2;
  const original = record?.operator.builtinOptions ?? record?.operator.builtinOptions2 ?? null;
  if (record?.code.code === code && !original && attributes.length === 0) return null;
  if (original && record?.code.code === code) {
    if (isDeepStrictEqual(optionsToAttributes(original.table), attributes)) return { union, options: original };
    const fresh = Object.create(Object.getPrototypeOf(original.table) as object) as typeof original.table;
    Object.assign(fresh, original.table);
    return { union, options: { type: original.type, table: applyAttributes(fresh, attributes), absentVectors: [] } };
  }
  const known = OPTIONS_FOR_OP[code as keyof typeof OPTIONS_FOR_OP];
  if (!known) return null;
  const absentVectors = code === 22 && !attributes.some((a) => a.name === 'new_shape') ? ['newShape'] : [];
  return { union: 1, options: { type: known[0], table: applyAttributes(known[1](), attributes), absentVectors } };
}

function tensorFor(value: Value, record: TfliteValueRecord | undefined, ctx: Context): TfliteTensor {
  const type = value.type?.kind === 'tensor' ? value.type : undefined;
  const base: TfliteTensor = record?.tensor ?? {
    name: value.name,
    shape: null,
    shapeSignature: null,
    type: 0,
    buffer: 0,
    quantization: null,
    sparsity: null,
    isVariable: false,
    hasRank: false,
    variantTensors: null,
  };
  const tensor: TfliteTensor = { ...base, quantization: quantizationToTflite(value.quantization, base.quantization) };
  if (!record || record.importedName !== value.name) tensor.name = value.name;
  if (type && (!record || type.dtype !== 'undefined')) {
    const code = dtypeToTflite(type.dtype);
    if (code === undefined)
      throw new LitheError('unsupported', `value '${value.name}' has element type ${type.dtype}, which TFLite cannot store`);
    tensor.type = code;
    if (!record && type.shape) {
      tensor.shape = type.shape.map((d) => (typeof d === 'number' ? d : 1));
      if (type.shape.some((d) => typeof d !== 'number')) tensor.shapeSignature = type.shape.map((d) => (typeof d === 'number' ? d : -1));
    }
  }
  const init = value.initializer;
  if (init) {
    const initRecord = tfliteRecord<TfliteInitializerRecord>(init.extras);
    const bytes = init.bytes();
    if (initRecord && !init.changed && ctx.sourceBuffers[initRecord.buffer]?.data === bytes) {
      tensor.buffer = initRecord.buffer;
    } else {
      ctx.buffers.push({ data: bytes, external: false });
      tensor.buffer = ctx.buffers.length - 1;
    }
    tensor.shape = init.dims;
  } else if (tensor.buffer && ctx.sourceBuffers[tensor.buffer]?.data?.length && !tensor.isVariable) {
    tensor.buffer = 0; // the value lost its constant data
  }
  checkInt32Dims(value.name, tensor.shape);
  return tensor;
}

const INT32_MAX = 2 ** 31 - 1;

/** TFLite stores dimensions as int32: a larger one would wrap (2^31 → −2^31, 2^40 → 0), so it is refused by name. */
function checkInt32Dims(name: string, shape: readonly number[] | null): void {
  const bad = shape?.find((d) => !Number.isInteger(d) || d > INT32_MAX || d < -1);
  if (bad === undefined) return;
  throw new LitheError(
    'unsupported',
    `value '${name}' has a dimension of ${bad} in shape [${shape?.join(', ')}], which TFLite cannot store (its dimensions are 32-bit: at most ${INT32_MAX})`,
  );
}

function subgraphFromGraph(
  graph: Graph,
  ctx: Context,
  signatures: TfliteSignatureDef[],
  graphIndex: number,
  sourceIndex: number | undefined,
): TfliteSubgraph {
  const graphRecord = tfliteRecord<TfliteGraphRecord>(graph.extras);
  const values: Value[] = [];
  const indexOf = new Map<Value, number>();
  const add = (v: Value | undefined): void => {
    if (v && !indexOf.has(v)) {
      indexOf.set(v, -1);
      values.push(v);
    }
  };
  const byOldIndex = new Map<number, Value>();
  for (const v of graph.ownValues()) {
    const r = tfliteRecord<TfliteValueRecord>(v.extras);
    if (r) byOldIndex.set(r.index, v);
    if (r?.orphan) add(v);
  }
  graph.inputs.forEach(add);
  graph.outputs.forEach(add);
  for (const node of graph.nodes) {
    node.inputs.forEach(add);
    node.outputs.forEach(add);
    tfliteRecord<TfliteNodeRecord>(node.extras)?.intermediates?.forEach(add);
  }
  for (const s of signatures)
    if (s.subgraphIndex === sourceIndex) for (const m of [...(s.inputs ?? []), ...(s.outputs ?? [])]) add(byOldIndex.get(m.tensorIndex));
  const oldIndex = (v: Value): number => tfliteRecord<TfliteValueRecord>(v.extras)?.index ?? Number.MAX_SAFE_INTEGER;
  values.sort((a, b) => oldIndex(a) - oldIndex(b));
  values.forEach((v, i) => indexOf.set(v, i));
  const tensors = values.map((v) => tensorFor(v, tfliteRecord<TfliteValueRecord>(v.extras), ctx));
  const ref = (v: Value | undefined): number => (v ? (indexOf.get(v) ?? internalError(`value '${v.name}' has no tensor index`)) : -1);
  const operators = graph.nodes.map((node): TfliteOperator => {
    const record = tfliteRecord<TfliteNodeRecord>(node.extras);
    const code = operatorCodeFor(node, record);
    const chosen = code.code === 32 ? null : optionsFor(node, record, code.code);
    const customAttr = node.attribute('custom_options');
    const base = record && sameOperator(node, record) ? record.operator : null;
    return {
      opcodeIndex: codeIndex(ctx, code, record?.operator.opcodeIndex),
      inputs: node.inputs.map(ref),
      outputs: node.outputs.map(ref),
      builtinOptions: chosen?.union === 1 ? (chosen.options as TfliteBuiltinOptions<never>) : null,
      builtinOptions2: chosen?.union === 2 ? (chosen.options as TfliteBuiltinOptions<never>) : null,
      customOptions: customAttr?.value.kind === 'string' ? customAttr.value.value : (base?.customOptions ?? null),
      customOptionsExternal: base?.customOptionsExternal ?? false,
      customOptionsFormat: base?.customOptionsFormat ?? 0,
      mutatingVariableInputs: base?.mutatingVariableInputs ?? null,
      intermediates: base && record ? (record.intermediates?.map(ref) ?? null) : null,
      debugMetadataIndex: base?.debugMetadataIndex ?? -1,
    };
  });
  for (const s of signatures) {
    if (s.subgraphIndex !== sourceIndex) continue;
    s.subgraphIndex = graphIndex;
    const remap = (maps: TfliteSignatureDef['inputs']) =>
      maps?.flatMap((m) => {
        const v = byOldIndex.get(m.tensorIndex);
        const tensorIndex = v && indexOf.get(v);
        return tensorIndex === undefined ? [] : [{ ...m, tensorIndex }];
      }) ?? null;
    s.inputs = remap(s.inputs);
    s.outputs = remap(s.outputs);
  }
  const source = graphRecord?.subgraph;
  return {
    name: source && source.name === null && graph.name === '' ? null : graph.name,
    tensors,
    inputs: graph.inputs.map(ref),
    outputs: graph.outputs.map(ref),
    operators,
    debugMetadataIndex: source?.debugMetadataIndex ?? -1,
  };
}

function usedBuffers(model: TfliteModel): Set<number> {
  const used = new Set<number>([0]);
  for (const g of model.subgraphs) for (const t of g.tensors) used.add(t.buffer);
  for (const m of model.metadata ?? []) used.add(m.buffer);
  for (const b of model.metadataBuffer ?? []) used.add(b);
  return used;
}

/** Drops buffers with data that the source model used and the written model no longer does. */
function dropUnusedDataBuffers(model: TfliteModel, source: TfliteModel | undefined): void {
  const before = source ? usedBuffers(source) : new Set<number>();
  const used = usedBuffers(model);
  const dropped = (b: TfliteBuffer, i: number): boolean => !used.has(i) && before.has(i) && (b.data?.length ?? 0) > 0;
  if (!model.buffers.some(dropped)) return;
  const remap = new Map<number, number>();
  const kept: TfliteBuffer[] = [];
  model.buffers.forEach((b, i) => {
    if (!dropped(b, i)) {
      remap.set(i, kept.length);
      kept.push(b);
    }
  });
  model.buffers = kept;
  // Every buffer in use was kept, so each has a new index.
  const moved = (b: number): number => remap.get(b) ?? internalError(`buffer ${b} was dropped while in use`);
  for (const g of model.subgraphs) for (const t of g.tensors) t.buffer = moved(t.buffer);
  if (model.metadata) model.metadata = model.metadata.map((m) => ({ ...m, buffer: moved(m.buffer) }));
  if (model.metadataBuffer) model.metadataBuffer = model.metadataBuffer.map(moved);
}

/**
 * Builds a {@link TfliteModel} from the IR. Nodes must be TFLite operators (domain `tflite` or
 * `tflite.custom`; see the converters for ONNX graphs). What the IR does not model comes from the
 * format extras of the model that was read, so an unchanged model is written back as it was read;
 * constant data no longer used is dropped.
 */
export function tfliteFromIr(model: Model): TfliteModel {
  const record = tfliteRecord<TfliteModelRecord>(model.extras);
  const source = record?.source;
  const ctx: Context = {
    codes: [...(source?.operatorCodes ?? [])],
    buffers: [...(source?.buffers ?? [{ data: null, external: false }])],
    sourceBuffers: source?.buffers ?? [],
  };
  const signatures = (source?.signatureDefs ?? []).map((s) => ({ ...s }));
  const graphs = [model.graph, ...model.calledGraphs];
  const subgraphs = graphs.map((g, i) =>
    subgraphFromGraph(g, ctx, signatures, i, source ? tfliteRecord<TfliteGraphRecord>(g.extras)?.index : undefined),
  );
  const out: TfliteModel = {
    version: source?.version ?? 3,
    description: source ? source.description : 'Lithe',
    operatorCodes: ctx.codes,
    subgraphs,
    buffers: ctx.buffers,
    metadataBuffer: source?.metadataBuffer ?? null,
    metadata: source?.metadata ?? null,
    signatureDefs: source?.signatureDefs ? signatures : null,
  };
  dropUnusedDataBuffers(out, source);
  dropReplacedCodes(out, source);
  return out;
}

/** Drops operator codes the source model's operators used and the written model's no longer do (say, after a version change). */
function dropReplacedCodes(model: TfliteModel, source: TfliteModel | undefined): void {
  if (!source) return;
  const usedBefore = new Set(source.subgraphs.flatMap((g) => g.operators.map((o) => o.opcodeIndex)));
  const used = new Set(model.subgraphs.flatMap((g) => g.operators.map((o) => o.opcodeIndex)));
  const dropped = (i: number): boolean => usedBefore.has(i) && !used.has(i);
  if (!model.operatorCodes.some((_, i) => dropped(i))) return;
  const remap = new Map<number, number>();
  const kept: TfliteOperatorCode[] = [];
  model.operatorCodes.forEach((c, i) => {
    if (dropped(i)) return;
    remap.set(i, kept.length);
    kept.push(c);
  });
  model.operatorCodes = kept;
  for (const g of model.subgraphs)
    for (const o of g.operators)
      o.opcodeIndex = remap.get(o.opcodeIndex) ?? internalError(`operator code ${o.opcodeIndex} was dropped while in use`);
}
