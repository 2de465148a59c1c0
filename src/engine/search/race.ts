import { BenchCompareArgs, type BenchCompareResult } from '../../contract/bench';
import type { SearchCandidate, SearchGoal } from '../../contract/search';
import type { EngineContext } from '../context';
import { BUDGET_RAN_OUT } from './choose-candidate';
import { throwIfCancelled } from '../errors';

// Successive halving over the built candidates: every one is measured A/B against the original in
// a short first round; those clearly slower, and the worse half of the rest for the goal, stop
// there ("pruned"); the others are measured again with the full number of pairs, and that verdict
// is final. Every measurement is its own process with runs interleaved (`bench.compare`).

/** Measures B against A; the search passes `bench.compare` in a child process. */
export type CompareFn = (args: BenchCompareArgs, ctx: EngineContext) => Promise<BenchCompareResult>;

/** Settings of {@link raceCandidates}. */
export interface RaceOptions {
  original: string;
  goal: SearchGoal;
  threads: number;
  /** Pairs of the final round; the first uses a fifth (at least 20). Fewer when the budget is short. */
  pairs: number;
  minEffect: number;
  originalBytes: number;
  /** `performance.now()` after which nothing new is measured. */
  deadline: number;
  compare: CompareFn;
}

/** Pairs of the short first round. */
export const firstRoundPairs = (pairs: number): number => Math.max(20, Math.round(pairs / 5));

/** The fewest pairs a measurement uses, whatever the budget (the A/B interval needs some). */
export const MIN_PAIRS = 10;
/** Share of the time left after building that the first round may use. */
const FIRST_ROUND_SHARE = 0.4;
/** Time of one measurement per pair of runs, as a multiple of the two medians (warm-up, loading, the process). */
const OVERHEAD = 1.5;

/**
 * The pairs that fit: `wanted`, fewer when `count` measurements of `pairMs` per pair would not fit
 * in `budgetMs`, never fewer than `floor`. Unknown `pairMs` (nothing measured yet): `wanted`.
 */
export function affordablePairs(wanted: number, floor: number, budgetMs: number, count: number, pairMs: number | undefined): number {
  if (!pairMs || pairMs <= 0) return wanted;
  const fit = Math.floor(budgetMs / (Math.max(1, count) * pairMs * OVERHEAD));
  return Math.max(Math.min(floor, wanted), Math.min(wanted, fit));
}

/** How a goal orders candidates after the first round (lower is better). */
export function raceKey(goal: SearchGoal, candidate: SearchCandidate, originalBytes: number): number {
  const ratio = candidate.speed?.ratio ?? Infinity;
  if (goal === 'smallest') return candidate.sizeBytes;
  if (goal === 'balanced') return ratio * Math.sqrt(candidate.sizeBytes / originalBytes);
  return ratio;
}

/**
 * The candidates of the final round: not clearly slower (the whole interval above 1 + minEffect)
 * unless the goal is size, and the better half for the goal (at least one).
 */
export function survivors(
  goal: SearchGoal,
  measured: readonly SearchCandidate[],
  minEffect: number,
  originalBytes: number,
): SearchCandidate[] {
  const inRace = goal === 'smallest' ? [...measured] : measured.filter((c) => (c.speed?.low ?? Infinity) <= 1 + minEffect);
  inRace.sort((a, b) => raceKey(goal, a, originalBytes) - raceKey(goal, b, originalBytes));
  return inRace.slice(0, Math.max(1, Math.ceil(measured.length / 2)));
}

async function measure(candidate: SearchCandidate, pairs: number, round: number, options: RaceOptions, ctx: EngineContext): Promise<void> {
  const config = { threads: options.threads };
  const args = BenchCompareArgs.parse({
    a: { model: options.original, config },
    b: { model: candidate.model, config },
    pairs,
    warmupRuns: Math.min(20, Math.max(5, Math.round(pairs / 10))),
    minEffect: options.minEffect,
  });
  const result = await options.compare(args, { signal: ctx.signal });
  candidate.speed = {
    ratio: result.ratio.median,
    low: result.ratio.low,
    high: result.ratio.high,
    verdict: result.verdict,
    originalMedianMs: result.a.latencyMs.p50,
    candidateMedianMs: result.b.latencyMs.p50,
    pairs,
    round,
  };
}

/**
 * Races `candidates` (built and verified, status `measured` on entry) against the original;
 * sets each one's `speed`, `status` and `note`. A candidate that cannot be measured is `failed`;
 * one not reached before the deadline is `skipped`.
 */
export async function raceCandidates(candidates: SearchCandidate[], options: RaceOptions, ctx: EngineContext = {}): Promise<void> {
  let pairMs: number | undefined;
  let done = 0;
  const total = candidates.length * 1.5;
  const step = async (candidate: SearchCandidate, pairs: number, round: number): Promise<boolean> => {
    throwIfCancelled(ctx.signal);
    if (performance.now() > options.deadline) {
      if (!candidate.speed) {
        candidate.status = 'skipped';
        candidate.note = `Not measured: ${BUDGET_RAN_OUT}.`;
      } else candidate.note = `Measured in the short first round only (${candidate.speed.pairs} pairs): ${BUDGET_RAN_OUT}.`;
      return false;
    }
    ctx.onProgress?.({
      stage: 'measure',
      fraction: Math.min(0.99, done / total),
      message: `${candidate.id}: round ${round}, ${pairs} pairs`,
    });
    try {
      await measure(candidate, pairs, round, options, ctx);
      const speed = candidate.speed;
      if (speed) pairMs = Math.max(pairMs ?? 0, speed.originalMedianMs + speed.candidateMedianMs);
      return true;
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      candidate.status = 'failed';
      candidate.note = `Could not be measured: ${error instanceof Error ? error.message : String(error)}`;
      return false;
    } finally {
      done++;
    }
  };

  // Pairs shrink to fit the budget once one measurement has shown how long a run takes.
  const firstEnd = performance.now() + FIRST_ROUND_SHARE * (options.deadline - performance.now());
  const first: SearchCandidate[] = [];
  for (const [i, candidate] of candidates.entries()) {
    const pairs = affordablePairs(firstRoundPairs(options.pairs), MIN_PAIRS, firstEnd - performance.now(), candidates.length - i, pairMs);
    if (await step(candidate, pairs, 1)) first.push(candidate);
  }
  const final = survivors(options.goal, first, options.minEffect, options.originalBytes);
  for (const candidate of first) {
    if (final.includes(candidate)) continue;
    candidate.status = 'pruned';
    candidate.note = `Stopped after the first round (${candidate.speed?.pairs ?? 0} pairs): it could not win for this goal.`;
  }
  for (const [j, candidate] of final.entries()) {
    const measured = candidate.speed?.pairs ?? 0;
    const pairs = affordablePairs(options.pairs, measured, options.deadline - performance.now(), final.length - j, pairMs);
    if (pairs > measured) await step(candidate, pairs, 2);
  }
}
