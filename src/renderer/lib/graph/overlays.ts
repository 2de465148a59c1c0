import type { EvaluationSummary, NodeSummary } from '../../../contract';
import type { GraphData, GraphNode } from './graph-data';

/** What the boxes are coloured by. */
export type OverlayKind = 'none' | 'error' | 'precision' | 'changed';

/** One colour class of an overlay and what it means. */
export interface OverlayClass {
  id: string;
  label: string;
}

/** An overlay: a class (and a short text for the box) per node it knows about. */
export interface Overlay {
  kind: OverlayKind;
  classes: readonly OverlayClass[];
  byNode: Map<string, { cls: string; text: string }>;
}

/** The colour classes of each overlay, for the legend. */
export const OVERLAY_CLASSES: Record<Exclude<OverlayKind, 'none'>, readonly OverlayClass[]> = {
  error: [
    { id: 'good', label: 'close to the original (30 dB or more)' },
    { id: 'fair', label: 'noticeable change (15–30 dB)' },
    { id: 'bad', label: 'large change (under 15 dB)' },
  ],
  precision: [
    { id: 'float32', label: 'float32 (full precision)' },
    { id: 'float16', label: 'float16 (half precision)' },
    { id: 'int8', label: 'int8 (8-bit)' },
    { id: 'int4', label: 'int4 (4-bit)' },
  ],
  changed: [
    { id: 'removed', label: 'removed or merged by the recipe' },
    { id: 'added', label: 'added or rewritten by the recipe' },
  ],
};

/** Names a layer of the graph can be found by: the node's name and its outputs' names. */
function namesOf(node: GraphNode): string[] {
  return node.node ? [node.node.name, ...node.node.outputs.map((output) => output.name)].filter(Boolean) : [];
}

/** Per-layer error measured on the user's data, as signal-to-noise (dB) on each layer it covers. */
export function errorOverlay(graph: GraphData, evaluation: EvaluationSummary | undefined): Overlay {
  const byName = new Map<string, { sqnrDb: number }>();
  for (const layer of evaluation?.layers ?? []) {
    if (layer.node) byName.set(layer.node, layer);
    byName.set(layer.name, layer);
  }
  const byNode = new Map<string, { cls: string; text: string }>();
  for (const node of graph.nodes) {
    const layer = namesOf(node)
      .map((name) => byName.get(name))
      .find(Boolean);
    if (!layer) continue;
    const cls = layer.sqnrDb >= 30 ? 'good' : layer.sqnrDb >= 15 ? 'fair' : 'bad';
    byNode.set(node.id, { cls, text: `${layer.sqnrDb.toFixed(1)} dB` });
  }
  return { kind: 'error', classes: OVERLAY_CLASSES.error, byNode };
}

const INT8_OPS = /^(QLinear|DynamicQuantize|ConvInteger|MatMulInteger|QGemm|QAttention)/;

/** The number type an operator computes in, from the types of its inputs as the engine reported them. */
export function nodePrecision(node: NodeSummary): string | undefined {
  const dtypes = node.inputs.map((input) => /^([a-z0-9]+)\[/.exec(input.shape)?.[1] ?? '');
  if (dtypes.some((dtype) => dtype === 'int4' || dtype === 'uint4')) return 'int4';
  if (INT8_OPS.test(node.type) || dtypes.some((dtype) => dtype === 'int8' || dtype === 'uint8')) return 'int8';
  if (dtypes.includes('float16')) return 'float16';
  if (dtypes.includes('float32')) return 'float32';
  return undefined;
}

/** The precision each operator of the shown model computes in. */
export function precisionOverlay(graph: GraphData): Overlay {
  const byNode = new Map<string, { cls: string; text: string }>();
  for (const node of graph.nodes) {
    const precision = node.node ? nodePrecision(node.node) : undefined;
    if (precision) byNode.set(node.id, { cls: precision, text: precision });
  }
  return { kind: 'precision', classes: OVERLAY_CLASSES.precision, byNode };
}

/**
 * Which boxes the recipe changed, found by comparing the shown graph with the other side of the run:
 * on the original, layers the optimized model no longer has; on the optimized model, layers the original did not have.
 */
export function changedOverlay(shown: GraphData, other: GraphData, shownIsOriginal: boolean): Overlay {
  const otherNames = new Set(other.nodes.flatMap(namesOf));
  const byNode = new Map<string, { cls: string; text: string }>();
  for (const node of shown.nodes) {
    if (!node.node) continue;
    if (namesOf(node).some((name) => otherNames.has(name))) continue;
    byNode.set(node.id, shownIsOriginal ? { cls: 'removed', text: 'removed or merged' } : { cls: 'added', text: 'new' });
  }
  return { kind: 'changed', classes: OVERLAY_CLASSES.changed, byNode };
}
