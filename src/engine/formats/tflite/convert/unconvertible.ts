/** An operator a converter could not translate: which op, which node, and why. */
export interface UnconvertibleOp {
  op: string;
  node: string;
  reason: string;
}

/** Thrown by an op converter for an operator (or option) it cannot translate faithfully. */
export class CannotConvert extends Error {}

/** One line per op, for error messages and reports. */
export function describeUnconvertible(list: readonly UnconvertibleOp[]): string {
  return list.map((u) => `${u.op} (node '${u.node}'): ${u.reason}`).join('; ');
}
