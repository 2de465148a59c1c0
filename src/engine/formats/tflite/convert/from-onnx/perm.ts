// Permutations of tensor axes. A permutation `p` lists, for each axis of the result, the axis of the
// source it comes from (ONNX Transpose's `perm`): result.shape[k] = source.shape[p[k]].
import { cannot } from '../op-context';

/** A permutation of axes; `undefined` stands for the identity (the ONNX layout itself). */
export type Perm = readonly number[] | undefined;

/** True when `p` keeps every axis where it is. */
export function isIdentity(p: Perm): boolean {
  return !p || p.every((a, i) => a === i);
}

/** The identity permutation of `rank` axes. */
export function identity(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => i);
}

/** The permutation that undoes `p`. */
export function invert(p: readonly number[]): number[] {
  const out = new Array<number>(p.length).fill(-1);
  p.forEach((a, i) => {
    if (a < 0 || a >= p.length || out[a] !== -1) cannot(`[${p.join(', ')}] is not a permutation`);
    out[a] = i;
  });
  return out;
}

/** `first` then `second`: transposing by `first`, then by `second`, is transposing by the result. */
export function compose(first: readonly number[], second: readonly number[]): number[] {
  return second.map((a) => first[a] ?? cannot(`permutations of ${first.length} and ${second.length} axes do not compose`));
}

/** `items` reordered by `p` (entry k is `items[p[k]]`). */
export function apply<T>(items: readonly T[], p: Perm): T[] {
  if (!p) return [...items];
  if (p.length !== items.length) cannot(`a permutation of ${p.length} axes does not fit ${items.length} axes`);
  return p.map((a) => items[a] ?? cannot(`axis ${a} is out of range`));
}

/** Where ONNX axis `axis` sits in a tensor laid out by `p`. */
export function placedAxis(p: Perm, axis: number): number {
  if (!p) return axis;
  const at = p.indexOf(axis);
  return at >= 0 ? at : cannot(`axis ${axis} is not one of the ${p.length} axes`);
}

/** Same key for equal permutations (for caches). */
export function permKey(p: Perm): string {
  return isIdentity(p) ? '' : (p ?? []).join(',');
}

/**
 * The smallest equivalent of transposing a tensor of `shape` by `p`: axes of size 1 dropped and
 * axes that stay next to each other merged. Transposing the reshaped tensor by `perm` and
 * reshaping to the permuted shape gives the same data.
 */
export function simplifyTranspose(shape: readonly number[], p: readonly number[]): { shape: number[]; perm: number[] } {
  const kept = p.filter((a) => shape[a] !== 1);
  // Runs of source axes that stay consecutive (a, a+1, …) in the result become one axis.
  const runs: number[][] = [];
  for (const a of kept) {
    const last = runs.at(-1);
    const prev = last?.at(-1);
    if (last && prev !== undefined && a === nextKept(shape, prev)) last.push(a);
    else runs.push([a]);
  }
  const bySource = [...runs].sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0));
  const merged = bySource.map((run) => run.reduce((n, a) => n * (shape[a] ?? 1), 1));
  const perm = runs.map((run) => bySource.indexOf(run));
  return { shape: merged, perm };
}

// The next source axis after `a` whose size is not 1.
function nextKept(shape: readonly number[], a: number): number {
  let next = a + 1;
  while (next < shape.length && shape[next] === 1) next++;
  return next;
}
