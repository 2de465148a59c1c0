import type { Progress, SearchCandidate, SearchReport } from '../../../contract';
import { formatBytes } from '../format/bytes';
import { formatMs } from '../format/numbers';
import { answersWords, plainNote, statusWords, timeAgainst, wasTimed } from './candidate-words';
import { originalSize } from './rank';

/** What the search kept, and why, in plain words. */
export interface ChosenWords {
  title: string;
  reason: string;
}

const percent = (fraction: number): string => `${Math.round(fraction * 100)} %`;
const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const NOTHING_BETTER: Record<SearchReport['goal'], string> = {
  fastest: 'No candidate was clearly faster than the original on this computer',
  accurate: 'No candidate was clearly faster while giving the same answers as the original, up to rounding',
  smallest: 'No candidate kept its answers close enough to the original’s while making the file at least 5 % smaller',
  balanced: 'No candidate was clearly smaller or faster than the original without being slower',
};

/** The candidate that came closest to serving the goal, for "the closest was …": the fastest, or for smallest the smallest built. */
function closest(report: SearchReport): string {
  const base = originalSize(report);
  if (report.goal === 'smallest') {
    const smaller = report.candidates
      .filter((candidate) => candidate.runDir !== undefined && candidate.status !== 'duplicate' && candidate.sizeBytes < base)
      .sort((a, b) => a.sizeBytes - b.sizeBytes)[0];
    if (!smaller) return ' No candidate made the file smaller.';
    const why = statusWords(smaller, report).why.replace(/\.$/, '');
    return ` The smallest was ${smaller.title}, at ${percent(smaller.sizeBytes / base)} of the size: ${why.charAt(0).toLowerCase()}${why.slice(1)}.`;
  }
  const timed = report.candidates
    .filter((candidate) => candidate.status === 'measured' || candidate.status === 'pruned')
    .filter(wasTimed)
    .sort((a, b) => a.speed.ratio - b.speed.ratio);
  const best = timed[0];
  if (!best) return '';
  return ` The closest was ${best.title}: it ${timeAgainst(best.speed.ratio)}, at ${percent(best.sizeBytes / base)} of its size.`;
}

/** For a target device that is not this computer, the estimate the pick rests on. */
function deviceWords(report: SearchReport, pick: SearchCandidate): string {
  const original = report.candidates.find((candidate) => candidate.status === 'baseline');
  if (!report.deviceId || report.deviceId === 'this-machine' || !pick.device || !original?.device) return '';
  const there = pick.device.deviceName;
  return (
    ` On ${there} it is expected to take ${formatMs(pick.device.latencyMs.expected)} instead of ` +
    `${formatMs(original.device.latencyMs.expected)} for the original — an estimate from a cost model, not a measurement there.`
  );
}

/** The pick of `report` said plainly: which candidate and why, or that the original is returned and why. */
export function chosenWords(report: SearchReport): ChosenWords {
  const { chosen } = report;
  if (chosen.isOriginal) {
    const why = chosen.label.startsWith('does not fit')
      ? `Neither the original nor any candidate fits on the chosen device. ${report.candidates
          .filter((candidate) => candidate.status === 'rejected')
          .map((candidate) => plainNote(candidate.note))
          .join(' ')}`
      : `${NOTHING_BETTER[report.goal]}, so Lithe gives back the original model, unchanged.${closest(report)}`;
    return { title: `${capital(chosen.label)}: the original is kept`, reason: why.trim() };
  }
  const pick = report.candidates.find((candidate) => candidate.id === chosen.id);
  if (!pick) return { title: `Chosen: ${chosen.label}`, reason: plainNote(chosen.reason) };
  const sentences: string[] = [];
  if (wasTimed(pick)) {
    const speed = pick.speed;
    const typical = `${formatMs(speed.candidateMedianMs)} instead of ${formatMs(speed.originalMedianMs)} for a typical run on this computer`;
    sentences.push(
      speed.verdict === 'no-significant-difference'
        ? `Its speed is not clearly different from the original’s: ${typical}.`
        : `It ${timeAgainst(speed.ratio)}: ${typical}.`,
    );
  }
  sentences.push(`Its file is ${formatBytes(pick.sizeBytes)}, ${percent(pick.sizeBytes / originalSize(report))} of the original’s size.`);
  const answers = answersWords(pick);
  if (answers) sentences.push(`${capital(answers)}.`);
  return { title: `Chosen: ${pick.title}`, reason: `${sentences.join(' ')}${deviceWords(report, pick)}` };
}

/** The search's progress with the engine's step names said as what is being done. */
export function progressWords(progress: Progress | null): Progress | null {
  if (!progress?.message) return progress;
  const message = progress.message
    .replace(/^building (.+)$/, 'Making the $1 version and checking its answers')
    .replace(/^profiling (.+) and (.+)$/, 'Timing every layer of $1 and $2')
    .replace(/^(.+): round (\d+), (\d+) pairs$/, 'Timing $1 against the original, in turns (round $2, $3 pairs)');
  return { ...progress, message };
}
