/**
 * Whether a layer's result reaches an operator that needs its small values kept, before anything mixes it with other
 * values. Dynamic int8 rounds a layer's input to 8 bits on the fly with one scale for the whole tensor: values far
 * below the largest become 0. Where the result then goes into a Log (a mel spectrogram in decibels), a Sqrt, a
 * Reciprocal or the divisor of a Div, those values are the answer, so such a layer keeps its float input.
 *
 *   power ─ MatMul(mel W) ─ Clip(1e-10) ─ Log ─ … →  the MatMul keeps a float input (int8 weights only)
 */
import type { Graph } from '../../ir/graph';
import type { Value } from '../../ir/value';

/** Operators whose result depends on the relative size of small inputs. */
const NEEDS_SMALL = new Set(['Log', 'Sqrt', 'Reciprocal']);
/** Operators that keep small values small (and large ones large) on their way: followed through. */
const KEEPS_SCALE = new Set([
  'Clip',
  'Relu',
  'Abs',
  'Max',
  'Min',
  'Add',
  'Mul',
  'Identity',
  'Reshape',
  'Transpose',
  'Squeeze',
  'Unsqueeze',
  'Flatten',
]);
/** How far the walk goes through such operators. */
const MAX_STEPS = 8;

/** The operator of the first consumer of `value` (within MAX_STEPS) that needs its small values, or undefined. */
export function smallValuesNeededBy(graph: Graph, value: Value): string | undefined {
  let frontier: Value[] = [value];
  for (let step = 0; step < MAX_STEPS && frontier.length > 0; step++) {
    const next: Value[] = [];
    for (const v of frontier) {
      for (const user of graph.users(v)) {
        if (NEEDS_SMALL.has(user.opType) || (user.opType === 'Div' && user.inputs[1] === v)) return user.opType;
        if (KEEPS_SCALE.has(user.opType)) next.push(...user.outputs.filter((o): o is Value => o !== undefined));
      }
    }
    frontier = next;
  }
  return undefined;
}
