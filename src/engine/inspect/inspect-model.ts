import type { EngineContext } from '../context';
import { throwIfCancelled } from '../errors';
import { summarizeAttribute } from '../ir/attribute';
import type { Graph } from '../ir/graph';
import type { Model } from '../ir/model';
import { inferShapes } from '../ir/shape-inference';
import type { Tensor } from '../ir/tensor';
import type { Value } from '../ir/value';
import { formatValueType } from '../ir/value-type';
import { estimateMacs } from './macs';
import { representativeMacs } from './representative-macs';
import type { IoSummary, ModelSummary, NodeSummary, TensorSummary } from './model-summary';
import { openModel } from './open-model';

/** Options for {@link inspectModel}. */
export interface InspectOptions {
  /** How many of the largest constant tensors to list (default 10). */
  largest?: number;
  /** Include the per-node list (default true; large models have many nodes). */
  nodes?: boolean;
}

/**
 * Reads the model at `path` and returns a plain-JSON summary: format, producer, IR version,
 * opsets, inputs/outputs, operator histogram, parameter count, weight bytes per dtype, size,
 * estimated MACs (shapes inferred first), the largest tensors and a node list for the UI.
 */
export function inspectModel(path: string, ctx: EngineContext = {}, options: InspectOptions = {}): ModelSummary {
  const { model, sizeBytes } = openModel(path, ctx);
  throwIfCancelled(ctx.signal);
  ctx.onProgress?.({ stage: 'inspect', fraction: 0.5, message: 'inferring shapes' });
  return summarizeModel(model, path, sizeBytes, options);
}

/** All constant tensors of a model: initializers and tensor attributes, in every (sub)graph and function. */
export function constantTensors(model: Model): Tensor[] {
  const out: Tensor[] = [];
  const walk = (g: Graph): void => {
    out.push(...g.initializers);
    for (const n of g.nodes) {
      for (const a of n.attributes) {
        if (a.value.kind === 'tensor') out.push(a.value.value);
        else if (a.value.kind === 'tensors') out.push(...a.value.value);
        else if (a.value.kind === 'graph') walk(a.value.value);
        else if (a.value.kind === 'graphs') a.value.value.forEach(walk);
      }
    }
  };
  walk(model.graph);
  for (const f of model.functions) walk(f.body);
  return out;
}

function io(v: Value): IoSummary {
  const t = v.type;
  if (t?.kind === 'tensor' || t?.kind === 'sparse-tensor') {
    return { name: v.name, dtype: t.dtype, shape: t.shape ? t.shape.map((d) => (d === null ? '?' : d)) : null };
  }
  return { name: v.name, dtype: t ? formatValueType(t) : 'unknown', shape: null };
}

/** Builds the {@link ModelSummary} of an already-read model. */
export function summarizeModel(model: Model, path: string, sizeBytes: number, options: InspectOptions = {}): ModelSummary {
  inferShapes(model);
  const g = model.graph;
  const opCounts: Record<string, number> = {};
  let subgraphCount = 0;
  const countOps = (graph: Graph): void => {
    for (const n of graph.nodes) {
      const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
      opCounts[key] = (opCounts[key] ?? 0) + 1;
      for (const s of n.subgraphs()) {
        subgraphCount++;
        countOps(s);
      }
    }
  };
  countOps(g);
  const tensors = constantTensors(model);
  let paramCount = 0;
  const weightBytesByDtype: Record<string, number> = {};
  for (const t of tensors) {
    paramCount += t.elementCount;
    weightBytesByDtype[t.dtype] = (weightBytesByDtype[t.dtype] ?? 0) + t.byteLength;
  }
  const largestTensors: TensorSummary[] = [...tensors]
    .sort((a, b) => b.byteLength - a.byteLength)
    .slice(0, options.largest ?? 10)
    .map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.dims], bytes: t.byteLength }));
  const macs = representativeMacs(model) ?? estimateMacs(g);
  const shape = (v: Value | undefined): string =>
    v
      ? formatValueType(v.type ?? (v.initializer ? { kind: 'tensor', dtype: v.initializer.dtype, shape: v.initializer.dims } : undefined))
      : '';
  const nodes: NodeSummary[] = (options.nodes === false ? [] : g.nodes).map((n, index) => ({
    index,
    type: n.opType,
    domain: n.domain,
    name: n.name,
    inputs: n.inputs.map((v) => ({ name: v?.name ?? '', shape: shape(v) })),
    outputs: n.outputs.map((v) => ({ name: v?.name ?? '', shape: shape(v) })),
    attributes: Object.fromEntries(n.attributes.map((a) => [a.name, summarizeAttribute(a)])),
  }));
  const initNames = new Set(g.initializers.map((t) => t.name));
  const opsets: Record<string, number> = {};
  for (const o of model.opsets) opsets[o.domain || 'ai.onnx'] = o.version;
  return {
    path,
    format: model.format,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    irVersion: model.irVersion ?? null,
    opsets,
    inputs: g.inputs.filter((v) => !initNames.has(v.name)).map(io),
    outputs: g.outputs.map(io),
    nodeCount: g.nodes.length,
    opCounts,
    paramCount,
    weightBytesByDtype,
    sizeBytes,
    externalDataBytes: externalBytes(model, tensors),
    macs: macs.total,
    macsByOp: macs.byOp,
    macsNotes: macs.notes,
    subgraphCount,
    functionCount: model.functions.length,
    metadata: Object.fromEntries(model.metadata.map((m) => [m.key, m.value])),
    largestTensors,
    nodes,
  };
}

function externalBytes(model: Model, tensors: Tensor[]): number {
  if (!model.sourcePath) return 0;
  let total = 0;
  for (const t of tensors) {
    const rec = t.extras?.record as { dataLocation?: number } | undefined;
    if (t.extras?.format === 'onnx' && rec?.dataLocation === 1) total += t.byteLength;
  }
  return total;
}
