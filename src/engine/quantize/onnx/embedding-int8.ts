/**
 * int8 embedding tables: a Gather that reads rows of a stored float table (a token embedding)
 * keeps the table in int8 with one scale per row, and gathers before it widens:
 *
 *   ids ─ Gather(T f32 [V, D]) ─ y
 *   →  ids ─ Gather(T i8 [V, D]) ─ Cast(float) ─ Mul ─ y
 *        └─ Gather(s [V, 1]) ──────────────────┘        s[v] = max_d |T[v, d]| / 127
 *
 * Only the gathered rows are widened at run time, so a large vocabulary costs no more per run than
 * before (a DequantizeLinear of the whole table would widen all of it on every run).
 */
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import { quantizeWeights } from '../quant-math';
import { addConstant, addValue, floatData, intAttr, makeNode } from './graph-edit';

/** Tables smaller than this stay float: the scales and extra nodes would outweigh the saving. */
export const MIN_EMBEDDING_VALUES = 1024;

const FLOAT = 1;

/** Why a Gather's table stays float, or undefined when it can be stored in int8. */
export function embeddingDeclined(node: Node): string | undefined {
  const table = node.inputs[0]?.initializer;
  if (!table || table.dtype !== 'float32') return undefined;
  if (table.dims.length !== 2) return `its table has ${table.dims.length} dimensions (an embedding table has 2); it stays float`;
  if (node.int('axis', 0) !== 0) return 'it gathers columns, not rows, of its table; it stays float';
  if (table.dims.reduce((a, b) => a * b, 1) < MIN_EMBEDDING_VALUES)
    return `its table has fewer than ${MIN_EMBEDDING_VALUES} values; it stays float`;
  return undefined;
}

/** Whether `node` gathers from a stored float table at all (a candidate for {@link embeddingNodes}). */
export function gathersStoredTable(node: Node): boolean {
  return node.opType === 'Gather' && node.inputs[0]?.initializer?.dtype === 'float32';
}

/** The nodes that replace `node` (see the header), or undefined when its table cannot be stored in int8. */
export function embeddingNodes(graph: Graph, node: Node): Node[] | undefined {
  const [table, ids] = node.inputs;
  const output = node.outputs[0];
  const data = floatData(table);
  const dims = table?.initializer?.dims;
  if (!table || !ids || !output || !data || !dims || embeddingDeclined(node)) return undefined;
  const [rows = 0, width = 0] = dims;
  const q = quantizeWeights(data, [rows, width], 0);
  const base = node.name || output.name;
  const values = addConstant(graph, `${table.name}_int8`, 'int8', [rows, width], q.values);
  const scales = addConstant(graph, `${table.name}_row_scale`, 'float32', [rows, 1], q.scales);
  const gathered = addValue(graph, `${base}_rows_int8`, 'int8');
  const widened = addValue(graph, `${base}_rows`, 'float32');
  const rowScales = addValue(graph, `${base}_scales`, 'float32');
  return [
    makeNode('Gather', [values, ids], [gathered], `${base}_int8`, [intAttr('axis', 0)]),
    makeNode('Gather', [scales, ids], [rowScales], `${base}_scale`, [intAttr('axis', 0)]),
    makeNode('Cast', [gathered], [widened], `${base}_widen`, [intAttr('to', FLOAT)]),
    makeNode('Mul', [widened, rowScales], [output], `${base}_rescale`),
  ];
}

/** Stores every stored float embedding table of `graph` in int8 (see the header), except excluded layers; returns how many. */
export function quantizeEmbeddingTables(graph: Graph, excluded: (node: Node) => boolean): number {
  let tables = 0;
  for (const node of [...graph.nodes]) {
    if (!gathersStoredTable(node) || embeddingDeclined(node) || excluded(node)) continue;
    const replacement = embeddingNodes(graph, node);
    if (!replacement) continue;
    graph.replaceNode(node, replacement);
    tables++;
  }
  return tables;
}
