import type { Node } from '../../ir/node';
import type { SkippedCandidate } from '../pass';

/** How a node is named in skip reasons: its name, else its first output's name, else its operator. */
export function nodeLabel(node: Node): string {
  return node.name || node.outputs.find((o) => o !== undefined)?.name || node.opType;
}

/**
 * Collects the candidates a pass declines, once per node and reason, so the report can say why
 * a pattern that matched was left alone.
 */
export class Skips {
  readonly #list: SkippedCandidate[] = [];
  readonly #seen = new Set<string>();

  /** Records that `node` was declined because of `reason` (a phrase, e.g. "its weights are not constant"). */
  add(node: Node, reason: string): void {
    const candidate = { node: nodeLabel(node), reason };
    const key = `${candidate.node}\n${reason}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#list.push(candidate);
  }

  /** The declined candidates, in the order they were found. */
  get list(): SkippedCandidate[] {
    return [...this.#list];
  }
}
