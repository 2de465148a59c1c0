import type { SearchGoal } from '../../contract/search';
import type { CandidateSource } from './candidate-sources';

// The order the search builds candidates in: the ones likeliest to win the goal on the target first,
// so that when building takes longer than planned (a loaded machine, a large model), the time kept
// for timing is spent on those. A source that starts from another candidate (`base`) or profiles
// two (`layerSpeedOf`) still comes after them.
//
//   before (CANDIDATE_SOURCES): graph, fp16, int8-dynamic, int8-static, …, int4-weights, mixed, onnx, …
//   after, goal fastest:        int8-static, int8-static-per-tensor, onnx, onnx-int8-static, graph, …, fp16
//   after, a microcontroller:   the integer candidates first, the float ones (which never fit it) last

/** Candidate ids by how likely they serve a goal, likeliest first; ids not listed keep their order after these. */
const LIKELY: Readonly<Record<SearchGoal, readonly string[]>> = {
  fastest: ['int8-static', 'int8-static-per-tensor', 'onnx', 'onnx-int8-static', 'graph', 'int8-static-except-slow', 'int8-dynamic'],
  balanced: ['int8-static', 'int8-static-per-tensor', 'onnx-int8-static', 'int8-dynamic', 'onnx', 'graph', 'int8-static-except-slow'],
  smallest: ['int4-weights', 'int8-dynamic', 'int8-static', 'int8-static-per-tensor', 'onnx-int8-static', 'mixed'],
  accurate: ['graph', 'onnx', 'fp16'],
};

/** Candidates whose model stays float: a microcontroller's integer runtime cannot run them. */
const FLOAT_IDS = new Set(['graph', 'fp16', 'onnx']);

/** What the order depends on. */
export interface BuildTarget {
  goal: SearchGoal;
  /** The target device runs models from flash with an integer runtime (a microcontroller). */
  microcontroller: boolean;
}

const rankOf = (id: string, target: BuildTarget): number => {
  const listed = LIKELY[target.goal].indexOf(id);
  const rank = listed < 0 ? LIKELY[target.goal].length : listed;
  return target.microcontroller && FLOAT_IDS.has(id) ? rank + 1000 : rank;
};

const needs = (source: CandidateSource): string[] =>
  [source.base, source.layerSpeedOf?.float, source.layerSpeedOf?.int8].filter((id): id is string => id !== undefined);

/** `sources` in build order for `target` (stable for equal ranks; every source after those it needs). */
export function buildOrder<S extends CandidateSource>(sources: readonly S[], target: BuildTarget): S[] {
  const ids = new Set(sources.map((source) => source.id));
  const ranked = sources
    .map((source, index) => ({ source, index, rank: rankOf(source.id, target) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.source);
  const placed = new Set<string>();
  const order: S[] = [];
  const waiting = [...ranked];
  while (waiting.length > 0) {
    const next = waiting.findIndex((source) => needs(source).every((id) => placed.has(id) || !ids.has(id)));
    // A cycle cannot happen with the built-in sources; take the first in rank order rather than loop.
    const [source] = waiting.splice(Math.max(0, next), 1);
    if (!source) break;
    order.push(source);
    placed.add(source.id);
  }
  return order;
}
