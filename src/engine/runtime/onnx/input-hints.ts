/**
 * What a model's own graph says about the inputs Lithe generates for it: the values an integer
 * input may hold, and how large an open dimension may be.
 *
 *   token_type_ids ─ Gather(table [2, 64])          → token_type_ids in [0, 2)
 *   ids[1, "sequence"] ─ Shape ─ Gather(1) ─ Range(0, ·, 1) ─ Gather(positions [128, 64])
 *                                                    → "sequence" at most 128
 *   Shape … ─ Slice(position_ids buffer [1, 512], 0, ·) → "sequence" at most 512
 *
 * Values and sizes are followed through operators that only move or retype them (Cast,
 * Unsqueeze, Reshape, Expand, …). Generated integers that index a table past its end, or a
 * sequence longer than the model's position table, make the original model itself fail.
 */
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import { constantNodeTensor } from '../../ir/constant-node';

/** Generation limits read from a model's graph. */
export interface InputHints {
  /** Integer inputs by name: values drawn from [0, end). */
  valueEnds: Record<string, number>;
  /** Open dimensions by name: largest size the model can take. */
  dimLimits: Record<string, number>;
}

const MOVES_VALUES = new Set(['Cast', 'Unsqueeze', 'Squeeze', 'Reshape', 'Flatten', 'Identity', 'Expand', 'Transpose', 'Slice', 'Tile']);

function consumers(graph: Graph): Map<Value, Node[]> {
  const uses = new Map<Value, Node[]>();
  for (const node of graph.nodes)
    for (const input of node.inputs)
      if (input) {
        const list = uses.get(input) ?? [];
        list.push(node);
        uses.set(input, list);
      }
  return uses;
}

const constantInts = (value: Value | undefined): number[] | undefined => {
  const t = value?.initializer ?? (value?.producer ? constantNodeTensor(value.producer) : undefined);
  if (!t || (t.dtype !== 'int64' && t.dtype !== 'int32') || t.elementCount > 16) return undefined;
  return Array.from(t.toTypedArray() as ArrayLike<number | bigint>, Number);
};

/** Rows of the table a Gather reads, when it reads a stored table along a fixed axis. */
function tableRows(node: Node): number | undefined {
  const table = node.inputs[0]?.initializer;
  if (node.opType !== 'Gather' || !table) return undefined;
  const axis = node.int('axis', 0);
  return table.dims[axis < 0 ? axis + table.dims.length : axis];
}

/** The smallest table `value`'s integers index, following value-moving operators. */
function smallestTable(value: Value, uses: Map<Value, Node[]>, seen = new Set<Value>()): number | undefined {
  if (seen.has(value)) return undefined;
  seen.add(value);
  let smallest: number | undefined;
  for (const node of uses.get(value) ?? []) {
    let rows: number | undefined;
    if (node.opType === 'Gather' && node.inputs[1] === value) rows = tableRows(node);
    else if (MOVES_VALUES.has(node.opType) && node.inputs[0] === value && node.outputs[0])
      rows = smallestTable(node.outputs[0], uses, seen);
    if (rows !== undefined) smallest = Math.min(smallest ?? rows, rows);
  }
  return smallest;
}

/** The open dimension a scalar holds: Shape(x) → Gather(k) (→ Cast/Squeeze/Unsqueeze), x's dim k symbolic. */
function dimOf(value: Value | undefined): string | undefined {
  let v = value;
  for (let hops = 0; v?.producer && hops < 6; hops++) {
    const p: Node = v.producer;
    if (['Cast', 'Squeeze', 'Unsqueeze', 'Identity'].includes(p.opType)) {
      v = p.inputs[0];
      continue;
    }
    if (p.opType !== 'Gather') return undefined;
    const shape = p.inputs[0]?.producer;
    const [k] = constantInts(p.inputs[1]) ?? [];
    const source = shape?.opType === 'Shape' ? shape.inputs[0] : undefined;
    const dims = source?.type?.kind === 'tensor' ? source.type.shape : undefined;
    if (k === undefined || !dims) return undefined;
    const start = shape?.int('start', 0) ?? 0;
    const dim = dims[(start < 0 ? start + dims.length : start) + k];
    return typeof dim === 'string' && dim !== '' ? dim : undefined;
  }
  return undefined;
}

function limit(limits: Record<string, number>, dim: string | undefined, size: number | undefined): void {
  if (dim === undefined || size === undefined || size < 1) return;
  limits[dim] = Math.min(limits[dim] ?? size, size);
}

/** Reads {@link InputHints} from the main graph of an ONNX model (its value types as declared or inferred). */
export function inputHints(model: Model): InputHints {
  const graph = model.graph;
  const uses = consumers(graph);
  const valueEnds: Record<string, number> = {};
  for (const input of graph.inputs) {
    if (input.initializer || input.type?.kind !== 'tensor' || !/^u?int/.test(input.type.dtype)) continue;
    const rows = smallestTable(input, uses);
    if (rows !== undefined && rows > 0) valueEnds[input.name] = rows;
  }
  const dimLimits: Record<string, number> = {};
  for (const node of graph.nodes) {
    if (node.opType === 'Range' && node.outputs[0]) {
      const [start] = constantInts(node.inputs[0]) ?? [];
      const [delta] = constantInts(node.inputs[2]) ?? [];
      const rows = smallestTable(node.outputs[0], uses);
      if (start !== undefined && start >= 0 && delta === 1 && rows !== undefined) limit(dimLimits, dimOf(node.inputs[1]), rows - start);
    }
    if (node.opType === 'Slice' && node.inputs[0]?.initializer) {
      const dims = node.inputs[0].initializer.dims;
      const axes = constantInts(node.inputs[3]) ?? dims.map((_, i) => i);
      const [start] = constantInts(node.inputs[1]) ?? [];
      if (axes.length === 1 && start === 0) {
        const axis = axes[0]!;
        limit(dimLimits, dimOf(node.inputs[2]), dims[axis < 0 ? axis + dims.length : axis]);
      }
    }
  }
  return { valueEnds, dimLimits };
}
