import type { VerificationSummary } from '../../../contract';
import { formatRelative, formatSimilarity } from '../format/numbers';
import { sameAnswers, verdictFigure } from './verdict-label';

/** A verification verdict in plain words: a headline, a sentence and a tone. */
export interface VerdictWords {
  tone: 'good' | 'bad' | 'unknown';
  headline: string;
  detail: string;
}

/** Says what the check of original against optimized found, for people who are not ML engineers. */
export function verificationWords(verification: VerificationSummary): VerdictWords {
  const fromData = verification.inputs === 'data';
  const on = fromData ? 'your data' : 'generated inputs';
  const n = verification.samples;
  // "the same 3 samples of your data", "the same 3 generated inputs", "the same 1 generated input"
  const which = n
    ? fromData
      ? `${n} ${n === 1 ? 'sample' : 'samples'} of your data`
      : `${n} generated ${n === 1 ? 'input' : 'inputs'}`
    : on;
  // Nothing changed and the written file is the original: identical without running either model.
  if (verification.status === 'passed' && verification.verdict === 'identical' && n === undefined)
    return {
      tone: 'good',
      headline: 'The same file as the original',
      detail: verification.reason ?? 'Nothing changed: the written file is the original, byte for byte. Nothing needed to run.',
    };
  if (verification.status === 'passed') {
    const relative =
      verification.relative === undefined
        ? ''
        : ` The largest difference was ${formatRelative(verification.relative)} of the output’s size`;
    const cosine = verification.cosine === undefined ? '' : ` (similarity ${formatSimilarity(verification.cosine)}, where 1 is identical)`;
    const agreement =
      verification.top1Agreement === undefined
        ? ''
        : ` The top answer agreed on ${(verification.top1Agreement * 100).toFixed(0)} % of inputs.`;
    return {
      tone: 'good',
      headline: passedHeadline(verification),
      detail: `Lithe ran both models on the same ${which} and compared their outputs.${relative}${cosine}.${agreement}`,
    };
  }
  if (verification.status === 'failed') {
    return {
      tone: 'bad',
      headline: 'The answers changed',
      detail: verification.reason ?? `The optimized model’s outputs differ from the original’s on ${on}.`,
    };
  }
  return { tone: 'unknown', headline: 'Not checked', detail: verification.reason ?? 'Lithe could not run the models to compare them.' };
}

// The headline's word matches the engine's verdict and quotes its figure when the answers are only close.
function passedHeadline(verification: VerificationSummary): string {
  if (verification.verdict === 'identical') return 'Same answers as the original: identical';
  if (verification.verdict === 'within-float-rounding') return 'Same answers as the original, within float rounding';
  if (sameAnswers(verification)) return 'Same answers as the original';
  const figure = verdictFigure(verification);
  return `Answers close to the original’s${figure ? ` (${figure})` : ''}, within the recipe’s tolerance`;
}
