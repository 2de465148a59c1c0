import type { TfliteOperator } from './tflite-model';

const SUBGRAPH_FIELD = /subgraph|calledComputations/i;

/**
 * The subgraph indices an operator calls through its options (IF, WHILE, CALL_ONCE, CALL and the
 * StableHLO control-flow ops), found by field name so every such option is covered.
 */
export function calledSubgraphs(op: TfliteOperator): number[] {
  const out: number[] = [];
  for (const options of [op.builtinOptions, op.builtinOptions2]) {
    if (!options) continue;
    for (const [key, value] of Object.entries(options.table)) {
      if (!SUBGRAPH_FIELD.test(key)) continue;
      if (typeof value === 'number') out.push(value);
      else if (Array.isArray(value)) for (const v of value) if (typeof v === 'number') out.push(v);
    }
  }
  return out;
}

/** A subgraph call cycle as a list of subgraph indices (first = last), or null when there is none. */
export function findCallCycle(calls: number[][]): number[] | null {
  const state = new Uint8Array(calls.length); // 0 new, 1 on the stack, 2 done
  for (let root = 0; root < calls.length; root++) {
    if (state[root]) continue;
    const stack: { node: number; next: number }[] = [{ node: root, next: 0 }];
    state[root] = 1;
    for (let top = stack.at(-1); top; top = stack.at(-1)) {
      const target = calls[top.node]?.[top.next++];
      if (target === undefined) {
        state[top.node] = 2;
        stack.pop();
        continue;
      }
      if (state[target] === 1) {
        const path = stack.map((s) => s.node);
        return [...path.slice(path.indexOf(target)), target];
      }
      if (state[target] === 0) {
        state[target] = 1;
        stack.push({ node: target, next: 0 });
      }
    }
  }
  return null;
}
