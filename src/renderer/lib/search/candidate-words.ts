import type { SearchCandidate, SearchReport } from '../../../contract';
import { formatPercent, formatSimilarity } from '../format/numbers';

// How the search page says what happened to each candidate, in plain words: no statistics terms
// (the engine's notes carry them for the command line), a ratio said as time, a range as "likely".

type Speed = NonNullable<SearchCandidate['speed']>;
type Timed = SearchCandidate & { speed: Speed };

/** Whether `candidate` was timed against the original (only those have a place on the speed axis). */
export function wasTimed(candidate: SearchCandidate): candidate is Timed {
  return candidate.speed !== undefined;
}

const percent = (fraction: number): string => `${Math.round(fraction * 100)} %`;

/** A time ratio (candidate over original) as time: "58 % less time", "2.4× as fast", "12 % more time". */
export function timeWords(ratio: number): string {
  if (Math.abs(ratio - 1) < 0.005) return 'the same time';
  if (ratio <= 0.5) return `${(1 / ratio).toFixed(1)}× as fast`;
  if (ratio < 1) return `${percent(1 - ratio)} less time`;
  return ratio >= 1.5 ? `${ratio.toFixed(1)}× the time` : `${percent(ratio - 1)} more time`;
}

/** A time ratio as what the candidate does: "takes 20 % less time than the original", "is 2.5× as fast as the original". */
export function timeAgainst(ratio: number): string {
  if (Math.abs(ratio - 1) < 0.005) return 'takes the same time as the original';
  if (ratio <= 0.5) return `is ${(1 / ratio).toFixed(1)}× as fast as the original`;
  if (ratio >= 1.5) return `takes ${ratio.toFixed(1)}× the original’s time`;
  return `takes ${timeWords(ratio)} than the original`;
}

/** The verdict of the A/B timing, for a tag: "faster", "slower", "no clear difference". */
export function verdictWords(speed: Speed): string {
  if (speed.verdict === 'faster') return 'faster';
  return speed.verdict === 'slower' ? 'slower' : 'no clear difference';
}

/** Where the true time ratio likely lies: "likely 0.40× to 0.44× the original's time". */
export function rangeWords(speed: Speed): string {
  return `likely ${speed.low.toFixed(2)}× to ${speed.high.toFixed(2)}× the original’s time`;
}

/** The similarity of the outputs with the original's (1 is identical), with the digits that matter. */
export function similarity(cosine: number): string {
  return formatSimilarity(cosine);
}

/** How close a candidate's answers stay to the original's, in one phrase; empty when not compared. */
export function answersWords(candidate: SearchCandidate): string {
  const fidelity = candidate.fidelity;
  if (!fidelity) return '';
  const agreement =
    fidelity.top1Agreement === undefined ? '' : `, the same top answer ${formatPercent(fidelity.top1Agreement)} of the time`;
  const accuracy = candidate.accuracy
    ? `; right ${formatPercent(candidate.accuracy.top1)} of the time (the original ${formatPercent(candidate.accuracy.originalTop1)})`
    : '';
  const inputs = fidelity.inputs === 'data' ? 'your data' : 'generated inputs';
  return `similarity ${similarity(fidelity.cosine)} to the original’s answers on ${inputs} (1 is identical)${agreement}${accuracy}`;
}

/** Where a candidate ended, as a short tag and a tone for its colour. */
export interface StatusWords {
  tag: string;
  tone: 'chosen' | 'good' | 'neutral' | 'bad';
  /** Why, in one plain sentence. */
  why: string;
}

/** The engine's own words, with the statistics terms the app does not use replaced by plain ones. */
export function plainNote(note: string): string {
  return note
    .replace(/\boutput cosine\b/gi, 'similarity')
    .replace(/\bcosine\b/gi, 'similarity')
    .replace(/\b95 % CI\b/g, 'likely range')
    .replace(/\s*\(?`lithe [^`]*`\)?/g, '')
    .replace(/(?<![\w-])--labels\b/g, 'the right answers')
    .replace(/(?<![\w-])--data\b/g, 'example data')
    .replace(/(?<![\w-])--[a-z][a-z0-9-]+/g, 'that setting');
}

/** Layers measured slower in 8-bit and kept in float, as a sentence; empty when the candidate has none. */
function keptLayers(candidate: SearchCandidate): string {
  const slower = (candidate.layers ?? []).filter((layer) => layer.slower);
  if (!candidate.layers) return '';
  if (slower.length === 0) return ' No layer was measured slower in 8-bit.';
  const names = slower.slice(0, 3).map((layer) => layer.name || layer.outputs[0] || layer.opTypes.join('+'));
  return ` ${slower.length} ${slower.length === 1 ? 'layer was' : 'layers were'} measured slower in 8-bit and kept in float (${names.join(', ')}${slower.length > 3 ? ', …' : ''}).`;
}

function timedWhy(candidate: Timed, lead: string): string {
  const speed = candidate.speed;
  const verdict = speed.verdict === 'no-significant-difference' ? 'no clear difference in speed' : `it ${timeAgainst(speed.ratio)}`;
  return `${lead}${verdict} (${rangeWords(speed)}, ${speed.pairs} timed pairs).${keptLayers(candidate)}`;
}

/** For a candidate the time limit stopped after the short first round: says so. */
function cutShort(candidate: Timed): string {
  return candidate.speed.round === 1 ? ' Timed in the short first round only: the time limit ran out.' : '';
}

/** What happened to `candidate` in `report`'s search, as a tag and a sentence. */
export function statusWords(candidate: SearchCandidate, report: Pick<SearchReport, 'chosen' | 'minCosine'>): StatusWords {
  const chosen = report.chosen.id === candidate.id;
  if (candidate.status === 'baseline')
    return chosen
      ? { tag: 'chosen: the original', tone: 'chosen', why: `Kept: ${report.chosen.label}.` }
      : { tag: 'the original', tone: 'neutral', why: 'Every candidate is timed against it, in turns, in the same process.' };
  const timed = wasTimed(candidate) ? candidate : null;
  if (chosen && timed) return { tag: 'chosen', tone: 'chosen', why: timedWhy(timed, 'Measured: ') };
  switch (candidate.status) {
    case 'measured':
      return {
        tag: 'measured',
        tone: 'good',
        why: timed ? `${timedWhy(timed, 'Measured: ')}${cutShort(timed)}` : plainNote(candidate.note),
      };
    case 'pruned':
      return {
        tag: 'stopped early',
        tone: 'neutral',
        why: timed ? timedWhy(timed, 'Stopped after the short first round, as it could not win: ') : plainNote(candidate.note),
      };
    case 'rejected': {
      const cosine = candidate.fidelity?.cosine;
      const tooFar = cosine !== undefined && cosine < report.minCosine;
      return {
        tag: 'refused',
        tone: 'bad',
        why: tooFar
          ? `Its answers moved too far from the original’s: similarity ${similarity(cosine)}, this goal needs at least ${report.minCosine}.`
          : plainNote(candidate.note),
      };
    }
    case 'duplicate':
      return { tag: 'same as another', tone: 'neutral', why: plainNote(candidate.note) };
    case 'failed':
      return { tag: 'failed', tone: 'bad', why: plainNote(candidate.note) };
    case 'skipped':
      return { tag: 'not tried', tone: 'neutral', why: plainNote(candidate.note) };
  }
}

/** How close a candidate's answers are, in three bands the chart colours: the same, close, further. */
export type AnswersBand = 'same' | 'close' | 'further';

/** The band of `cosine` (1 is identical): the same up to 0.9999, close up to 0.999, else further. */
export function answersBand(cosine: number): AnswersBand {
  if (cosine >= 0.9999) return 'same';
  return cosine >= 0.999 ? 'close' : 'further';
}

/** Legend words of each band. */
export const BAND_WORDS: Record<AnswersBand, string> = {
  same: 'Nearly the same answers (similarity 0.9999 or more)',
  close: 'Close answers (0.999 or more)',
  further: 'Answers further off (below 0.999)',
};
