/** An operator a converter could not translate: which op, which node, and why. */
export interface UnconvertibleOp {
  op: string;
  node: string;
  reason: string;
}

/** Thrown by an op converter for an operator (or option) it cannot translate faithfully. */
export class CannotConvert extends Error {}

/** At most this many node names are listed per kind of problem. */
const NAMES_SHOWN = 5;

/**
 * A readable list, one line per operator and reason: how many nodes, which ones (the first few), why.
 *   Erf ×3 (nodes 'a', 'b', 'c'): TFLite has no error-function operator
 */
export function describeUnconvertible(list: readonly UnconvertibleOp[]): string {
  const groups = new Map<string, { op: string; reason: string; nodes: string[] }>();
  for (const u of list) {
    const key = `${u.op}\u0000${u.reason}`;
    const group = groups.get(key) ?? { op: u.op, reason: u.reason, nodes: [] };
    group.nodes.push(u.node);
    groups.set(key, group);
  }
  const lines = [...groups.values()].map(({ op, reason, nodes }) => {
    const shown = nodes.slice(0, NAMES_SHOWN).map((n) => `'${n}'`);
    const more = nodes.length > NAMES_SHOWN ? ` and ${nodes.length - NAMES_SHOWN} more` : '';
    const count = nodes.length > 1 ? ` ×${nodes.length}` : '';
    return `${op}${count} (node${nodes.length > 1 ? 's' : ''} ${shown.join(', ')}${more}): ${reason}`;
  });
  return lines.length === 1 ? (lines[0] ?? '') : `\n  - ${lines.join('\n  - ')}`;
}
