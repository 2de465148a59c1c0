import { Graph } from '../../ir/graph';
import { Model } from '../../ir/model';
import { Node } from '../../ir/node';
import { Tensor } from '../../ir/tensor';
import { Value } from '../../ir/value';
import { internalError } from '../../errors';
import { dtypeFromTflite } from './dtype-map';
import {
  tfliteExtras,
  type TfliteGraphRecord,
  type TfliteInitializerRecord,
  type TfliteModelRecord,
  type TfliteNodeRecord,
  type TfliteValueRecord,
} from './ir-records';
import { builtinName, TFLITE_CUSTOM_DOMAIN, TFLITE_DOMAIN } from './op-names';
import { optionsToAttributes } from './options-attributes';
import { quantizationFromTflite } from './quantization-ir';
import type { TfliteModel, TfliteSubgraph } from './tflite-model';

function referencedTensors(g: TfliteSubgraph, model: TfliteModel, index: number): Set<number> {
  const used = new Set<number>([...g.inputs, ...g.outputs]);
  for (const op of g.operators) for (const t of [...op.inputs, ...op.outputs, ...(op.intermediates ?? [])]) used.add(t);
  for (const s of model.signatureDefs ?? []) {
    if (s.subgraphIndex === index) for (const m of [...(s.inputs ?? []), ...(s.outputs ?? [])]) used.add(m.tensorIndex);
  }
  return used;
}

function graphFromSubgraph(model: TfliteModel, g: TfliteSubgraph, index: number): Graph {
  const graph = new Graph(g.name ?? '');
  graph.extras = tfliteExtras({ index, subgraph: g } satisfies TfliteGraphRecord);
  const used = referencedTensors(g, model, index);
  const seen = new Set<string>();
  const values = g.tensors.map((t, ti) => {
    let name = t.name ?? '';
    if (!name || seen.has(name)) name = `${name || 'tensor'}:${ti}`;
    seen.add(name);
    const value = graph.define(new Value(name, { kind: 'tensor', dtype: dtypeFromTflite(t.type), shape: t.shape ?? undefined }));
    if (t.shapeSignature && value.type?.kind === 'tensor')
      value.type.shape = t.shapeSignature.map((d, i) => (d < 0 ? null : (t.shape?.[i] ?? d)));
    value.quantization = quantizationFromTflite(t.quantization);
    value.extras = tfliteExtras({ index: ti, tensor: t, importedName: name, orphan: !used.has(ti) } satisfies TfliteValueRecord);
    const data = t.buffer ? model.buffers[t.buffer]?.data : null;
    if (data && data.length > 0 && !t.isVariable) {
      const tensor = new Tensor(name, dtypeFromTflite(t.type), t.shape ?? [], { loadBytes: () => data, byteLength: data.length });
      tensor.extras = tfliteExtras({ buffer: t.buffer } satisfies TfliteInitializerRecord);
      graph.addInitializer(tensor);
    }
    return value;
  });
  // readTflite's validation has checked every tensor and operator-code index below.
  const valueOf = (t: number): Value => values[t] ?? internalError(`subgraph ${index}: tensor ${t} is out of range`);
  graph.inputs = g.inputs.map(valueOf);
  graph.outputs = g.outputs.map(valueOf);
  graph.nodes = g.operators.map((op) => {
    const code = model.operatorCodes[op.opcodeIndex] ?? internalError(`subgraph ${index}: operator code ${op.opcodeIndex} is out of range`);
    const customCode = code.code === 32 ? code.customCode : null;
    const custom = customCode !== null;
    const attributes = [
      ...(op.builtinOptions ? optionsToAttributes(op.builtinOptions.table) : []),
      ...(op.builtinOptions2 ? optionsToAttributes(op.builtinOptions2.table) : []),
    ];
    if (op.customOptions) attributes.push({ name: 'custom_options', value: { kind: 'string', value: op.customOptions } });
    const outputs = op.outputs.map((t) => (t < 0 ? undefined : valueOf(t)));
    const node = new Node(
      customCode ?? builtinName(code.code),
      op.inputs.map((t) => (t < 0 ? undefined : valueOf(t))),
      outputs,
      {
        name: outputs.find((o) => o)?.name ?? '',
        domain: custom ? TFLITE_CUSTOM_DOMAIN : TFLITE_DOMAIN,
        attributes,
      },
    );
    const intermediates = op.intermediates?.map((t) => (t < 0 ? undefined : valueOf(t))) ?? null;
    node.extras = tfliteExtras({ operator: op, code, intermediates } satisfies TfliteNodeRecord);
    return node;
  });
  return graph;
}

/**
 * Maps a decoded TFLite model onto the IR: subgraph 0 becomes the main graph, tensors become
 * values (constant buffers become lazy initializers viewing the file's bytes), operators become
 * nodes of domain `tflite` (custom ops: `tflite.custom`) with their options as attributes, and
 * each tensor's quantization becomes its value's `quantization`. Subgraphs 1…n become the model's
 * `calledGraphs`. Every other TFLite-only detail (buffers, signatures, intermediates) rides along in the
 * objects' format extras so {@link tfliteFromIr} writes an unchanged model back as it was.
 */
export function tfliteToIr(source: TfliteModel, sourcePath?: string): Model {
  const graphs = source.subgraphs.map((g, i) => graphFromSubgraph(source, g, i));
  const model = new Model(TFLITE_DOMAIN, graphs[0] ?? internalError('the TFLite model has no subgraphs'));
  model.sourcePath = sourcePath;
  model.producerName = 'TFLite';
  model.docString = source.description ?? '';
  model.modelVersion = BigInt(source.version);
  model.calledGraphs = graphs.slice(1);
  model.extras = tfliteExtras({ source } satisfies TfliteModelRecord);
  return model;
}
