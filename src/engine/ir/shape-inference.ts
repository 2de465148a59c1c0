import { constantNodeTensor } from './constant-node';
import type { DType } from './dtype';
import type { Graph } from './graph';
import type { Model } from './model';
import type { Dim } from './shape';
import type { Value } from './value';
import { propagateShapeData } from './shape-data';
import { inferOp, type OpShapes } from './shape-rules';

/**
 * Fills in `type` for values whose type is unknown, for the common operators (convolution,
 * pooling, matrix products, elementwise with broadcasting, reshaping, concatenation, recurrent
 * layers, …), walking each graph (and its subgraphs) in topological order. Declared types are never
 * overwritten, and values the graph declares (inputs, outputs, value_info) are left as declared, so
 * writing the model afterwards writes what was read. Types it fills in are marked
 * ({@link Value.typeInferred}); with `refresh`, those are inferred again (after input sizes changed).
 * Values it cannot infer stay unknown. Returns how many values got a type.
 */
export function inferShapes(model: Model, options: InferOptions = {}): number {
  if (options.refresh) forgetInferredTypes(model);
  return inferGraph(model.graph, model.opsetVersion('') ?? 0, options.openDeclared === true);
}

/** Settings of {@link inferShapes}. */
export interface InferOptions {
  /** Infer again the types it filled in earlier (after input sizes changed). */
  refresh?: boolean;
  /**
   * Also replace declared types of outputs and annotated values whose shapes have open or unknown
   * dimensions, where inference finds every dimension: for estimates once the inputs are fixed at
   * some size. The model is changed for good; give it a copy.
   */
  openDeclared?: boolean;
}

/** Forgets every type shape inference filled in (declared types stay). Returns how many were forgotten. */
export function forgetInferredTypes(model: Model): number {
  let forgotten = 0;
  const visit = (graph: Graph): void => {
    for (const v of graph.ownValues()) {
      if (v.typeInferred) {
        v.type = undefined;
        forgotten++;
      }
    }
    for (const n of graph.nodes) for (const g of n.subgraphs()) visit(g);
  };
  visit(model.graph);
  return forgotten;
}

function inferGraph(graph: Graph, opset: number, openDeclared: boolean): number {
  let inferred = 0;
  const declared = new Set<Value>([...graph.inputs, ...graph.outputs, ...graph.annotated]);
  // Declared values (not inputs) that `openDeclared` lets inference replace.
  const replaceable = new Set<Value>(
    openDeclared ? [...graph.outputs, ...graph.annotated].filter((v) => !graph.inputs.includes(v) && !fullyKnown(v)) : [],
  );
  for (const t of graph.initializers) {
    const v = graph.ownValue(t.name);
    if (v && !v.type && !declared.has(v)) {
      v.setInferredType({ kind: 'tensor', dtype: t.dtype, shape: [...t.dims] });
      inferred++;
    }
  }
  const shapeData = new Map<Value, Dim[]>();
  const info = (value: Value | undefined): TensorInfo | undefined => tensorInfo(value, shapeData);
  const result = graph.topologicalOrder();
  for (const node of result.order ?? graph.nodes) {
    for (const g of node.subgraphs()) inferred += inferGraph(g, opset, openDeclared);
    let outs: OpShapes | undefined;
    const constant = constantNodeTensor(node);
    try {
      outs = constant ? [{ dtype: constant.dtype, shape: [...constant.dims] }] : inferOp(node, opset, info);
    } catch {
      outs = undefined;
    }
    if (!outs) continue;
    node.outputs.forEach((o, i) => {
      const out = outs?.[i];
      if (!o || !out) return;
      if (replaceable.has(o)) {
        if (!out.shape?.every((d) => typeof d === 'number')) return;
      } else if (o.type || declared.has(o)) return;
      o.setInferredType({ kind: 'tensor', dtype: out.dtype, shape: out.shape });
      inferred++;
    });
    const first = node.outputs[0];
    const data = first && !constant ? propagateShapeData(node, opset, info) : undefined;
    if (first && data) shapeData.set(first, data);
  }
  return inferred;
}

/** What shape rules know about an input: dtype, shape and (for small constants) the values. */
export interface TensorInfo {
  dtype: DType;
  shape: Dim[] | undefined;
  /** Integer contents of a constant input (initializer or Constant), or of a shape computed from known dimensions, when small. */
  values?: number[];
  /** Contents of a small float32 constant (Resize scales, …). */
  floats?: number[];
  /** Contents of a small integer tensor computed from shapes, with symbolic or unknown entries (see shape-data.ts). */
  dims?: Dim[];
}

function tensorInfo(value: Value | undefined, shapeData: ReadonlyMap<Value, Dim[]>): TensorInfo | undefined {
  if (!value) return undefined;
  const producer = value.producer;
  const t = value.initializer ?? (producer ? constantNodeTensor(producer) : undefined);
  let values: number[] | undefined;
  if (t && (t.dtype === 'int64' || t.dtype === 'int32') && t.elementCount <= 64) {
    values = Array.from(t.toTypedArray() as ArrayLike<number | bigint>, Number);
  }
  const floats = t && t.dtype === 'float32' && t.elementCount <= 64 ? Array.from(t.toTypedArray() as Float32Array) : undefined;
  if (floats) return { dtype: t!.dtype, shape: [...t!.dims], floats };
  const dims = values ? undefined : shapeData.get(value);
  if (dims?.every((d): d is number => typeof d === 'number')) values = dims;
  if (value.type?.kind === 'tensor')
    return { dtype: value.type.dtype, shape: value.type.shape, values, ...(dims && !values ? { dims } : {}) };
  if (t) return { dtype: t.dtype, shape: [...t.dims], values };
  return undefined;
}

/** Whether `v` is a tensor whose every dimension is a number. */
function fullyKnown(v: Value): boolean {
  return v.type?.kind === 'tensor' && v.type.shape !== undefined && v.type.shape.every((d) => typeof d === 'number');
}
