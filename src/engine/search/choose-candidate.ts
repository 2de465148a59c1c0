import { FLOAT_ON_MICROCONTROLLER } from '../devices/fit';
import type { SearchCandidate, SearchGoal, SearchReport } from '../../contract/search';

// The pick, from candidates already built, verified and measured. The rule never returns a
// candidate as faster unless its A/B verdict against the original says so; when nothing serves the
// goal better than the original, the original is returned with a label that says so.
//
//   fastest   the measured candidate with the lowest median ratio among those judged "faster"
//   accurate  the same, among candidates whose outputs stay within float rounding (cosine ≥ 0.99999)
//   smallest  the smallest file below 95 % of the original's size (speed is reported, not required)
//   balanced  the lowest ratio × √(size ratio) below 0.9, among candidates not judged "slower"
//
// With a target device that is not this machine, fastest and balanced rank by the device's
// estimated latency instead (it is not here to measure), and the reason says it is an estimate.

/** Cosine similarity at or above which outputs count as the same up to float rounding. */
export const ROUNDING_COSINE = 0.99999;

type Chosen = SearchReport['chosen'];

const pct = (value: number): string => `${Math.round(value * 100)} %`;

/** "2.3× faster" / "18 % faster" for a median ratio below 1. */
export function fasterBy(ratio: number): string {
  return ratio <= 0.5 ? `${(1 / ratio).toFixed(1)}× faster` : `${pct(1 - ratio)} faster`;
}

function speedWords(candidate: SearchCandidate): string {
  const speed = candidate.speed;
  if (!speed) return 'speed not measured';
  const ci = `95 % CI ${speed.low.toFixed(3)}–${speed.high.toFixed(3)}`;
  if (speed.verdict === 'faster') return `${fasterBy(speed.ratio)} (median ${speed.ratio.toFixed(3)}× the original, ${ci})`;
  if (speed.verdict === 'slower') return `slower (median ${speed.ratio.toFixed(3)}× the original, ${ci})`;
  return `no significant speed difference (median ${speed.ratio.toFixed(3)}× the original, ${ci})`;
}

function fidelityWords(candidate: SearchCandidate): string {
  const cosine = candidate.fidelity?.cosine;
  if (cosine === undefined) return '';
  const accuracy = candidate.accuracy
    ? `, top-1 accuracy ${(candidate.accuracy.top1 * 100).toFixed(2)} % (original ${(candidate.accuracy.originalTop1 * 100).toFixed(2)} %)`
    : '';
  return `, output cosine ${cosine.toFixed(cosine >= 0.9999 ? 6 : 4)}${accuracy}`;
}

const pickOf = (candidate: SearchCandidate, reason: string): Chosen => ({
  id: candidate.id,
  model: candidate.model,
  label: candidate.title,
  reason,
  isOriginal: false,
});

function original(originalModel: string, label: string, reason: string): Chosen {
  return { id: 'original', model: originalModel, label, reason, isOriginal: true };
}

const byRatio = (a: SearchCandidate, b: SearchCandidate): number => (a.speed?.ratio ?? Infinity) - (b.speed?.ratio ?? Infinity);

/** The candidates still in the race: built, close enough to the original, fitting the device. */
const eligible = (candidates: readonly SearchCandidate[]): SearchCandidate[] =>
  candidates.filter((candidate) => candidate.status === 'measured' || candidate.status === 'pruned');

function closest(candidates: readonly SearchCandidate[]): string {
  const best = [...eligible(candidates)].sort(byRatio)[0];
  return best ? ` The closest was ${best.title}: ${speedWords(best)}.` : '';
}

/** The target device of a search: its name, and whether it is this machine (then measurements decide). */
export interface TargetDevice {
  name: string;
  here: boolean;
}

const estimated = (candidate: SearchCandidate): number => candidate.device?.latencyMs.expected ?? Infinity;

/** For a device that is not here: the pick by estimated latency on it. */
function chooseForDevice(
  goal: SearchGoal,
  candidates: readonly SearchCandidate[],
  originalModel: string,
  originalBytes: number,
  device: TargetDevice,
): Chosen {
  const base = candidates.find((candidate) => candidate.status === 'baseline');
  const baseMs = base ? estimated(base) : Infinity;
  // A float model does not run on a microcontroller's integer runtime, whatever its size.
  const fits = (c: SearchCandidate): boolean =>
    c.device !== undefined && c.device.fitsRam && c.device.fitsStorage && !c.device.notes.includes(FLOAT_ON_MICROCONTROLLER);
  // Built and verified but not timed here for lack of time still counts: the estimate decides, not this machine.
  const untimed = (c: SearchCandidate): boolean => c.status === 'skipped' && c.model !== '' && c.fidelity !== undefined;
  const pool = candidates.filter((c) => eligible([c]).length > 0 || untimed(c)).filter(fits);
  if (pool.length === 0 && base?.device && !fits(base))
    return original(
      originalModel,
      `does not fit on ${device.name}`,
      `Neither the original nor any candidate fits on ${device.name}. ${candidates
        .filter((c) => c.status === 'rejected')
        .map((c) => `${c.id}: ${c.note}`)
        .join(' ')}`.trim(),
    );
  const score = (c: SearchCandidate): number =>
    (estimated(c) / baseMs) * (goal === 'balanced' ? Math.sqrt(c.sizeBytes / originalBytes) : 1);
  const best = pool.filter((c) => score(c) < (goal === 'balanced' ? 0.9 : 0.95)).sort((a, b) => score(a) - score(b))[0];
  const estimate = (c: SearchCandidate): string =>
    `${estimated(c).toFixed(1)} ms expected on ${device.name} vs ${baseMs.toFixed(1)} ms for the original`;
  if (!best || !Number.isFinite(baseMs))
    return original(
      originalModel,
      goal === 'balanced' ? 'no better candidate' : 'no faster candidate',
      `By the cost-model estimate for ${device.name}, no candidate is clearly ${goal === 'balanced' ? 'better' : 'faster'} than the original there, so the original is returned unchanged.`,
    );
  return pickOf(
    best,
    `${best.title}: estimated ${fasterBy(estimated(best) / baseMs)} on ${device.name} (${estimate(best)}; a cost-model estimate, ` +
      `not a measurement there). Measured here: ${speedWords(best)}${fidelityWords(best)}.`,
  );
}

/** The words the search puts in the note of a candidate the time budget left out. */
export const BUDGET_RAN_OUT = 'the time budget ran out';

/**
 * The original, labelled as not compared, when no candidate was timed against it because the
 * budget ran out first: "no faster candidate" would claim a comparison that did not happen.
 */
function notTimed(candidates: readonly SearchCandidate[], originalModel: string): Chosen | undefined {
  if (candidates.some((candidate) => candidate.speed !== undefined)) return undefined;
  const late = candidates.filter((candidate) => candidate.status === 'skipped' && candidate.note.includes(BUDGET_RAN_OUT));
  if (late.length === 0) return undefined;
  const built = late.filter((candidate) => candidate.model !== '').length;
  return original(
    originalModel,
    'no candidate measured in time',
    `The time budget ran out before any candidate was timed against the original (${built} built, ${late.length - built} not built), ` +
      'so the original is returned unchanged. A longer time limit (--budget-min) measures them.',
  );
}

/** Picks the candidate that serves `goal`, or the original with the reason nothing did. */
export function chooseCandidate(
  goal: SearchGoal,
  candidates: readonly SearchCandidate[],
  originalModel: string,
  originalBytes: number,
  device?: TargetDevice,
): Chosen {
  if (device && !device.here && (goal === 'fastest' || goal === 'balanced'))
    return chooseForDevice(goal, candidates, originalModel, originalBytes, device);
  const untimed = goal === 'smallest' ? undefined : notTimed(candidates, originalModel);
  if (untimed) return untimed;
  const measured = candidates.filter((candidate) => candidate.status === 'measured');
  const faster = measured.filter((candidate) => candidate.speed?.verdict === 'faster');
  if (goal === 'fastest' || goal === 'accurate') {
    const pool = goal === 'accurate' ? faster.filter((c) => (c.fidelity?.cosine ?? 0) >= ROUNDING_COSINE) : faster;
    const best = [...pool].sort(byRatio)[0];
    if (!best) {
      const accurate = goal === 'accurate';
      const condition = accurate ? ' without changing its answers beyond float rounding' : '';
      return original(
        originalModel,
        accurate ? 'no faster candidate with the same answers' : 'no faster candidate',
        `No candidate was significantly faster than the original on this machine${condition}, so the original is returned unchanged.${closest(candidates)}`,
      );
    }
    return pickOf(best, `${best.title}: ${speedWords(best)}${fidelityWords(best)}.`);
  }
  if (goal === 'smallest') {
    const smaller = eligible(candidates)
      .filter((candidate) => candidate.sizeBytes < originalBytes * 0.95)
      .sort((a, b) => a.sizeBytes - b.sizeBytes);
    const best = smaller[0];
    if (!best)
      return original(
        originalModel,
        'no smaller candidate',
        'No candidate kept the outputs close enough while making the file at least 5 % smaller.',
      );
    const size = `${pct(best.sizeBytes / originalBytes)} of the original's size`;
    return pickOf(best, `${best.title}: ${size}; ${speedWords(best)}${fidelityWords(best)}.`);
  }
  const score = (candidate: SearchCandidate): number => (candidate.speed?.ratio ?? 1) * Math.sqrt(candidate.sizeBytes / originalBytes);
  const balanced = measured
    .filter((candidate) => candidate.speed !== undefined && candidate.speed.verdict !== 'slower' && score(candidate) < 0.9)
    .sort((a, b) => score(a) - score(b));
  const best = balanced[0];
  if (!best)
    return original(
      originalModel,
      'no better candidate',
      'No candidate was both not slower and clearly smaller or faster than the original (speed ratio × √size ratio below 0.9).',
    );
  return pickOf(
    best,
    `${best.title}: ${pct(best.sizeBytes / originalBytes)} of the original's size; ${speedWords(best)}${fidelityWords(best)}.`,
  );
}
