import type { StepSummary, VerificationSummary } from '../../contract';
import type { StepReport } from '../passes/pipeline';
import type { Verification } from '../verify/verifier';

/** A pipeline step as report.json records it. */
export function stepSummary(step: StepReport): StepSummary {
  const summary: StepSummary = {
    pass: step.pass,
    title: step.title,
    options: step.options,
    changed: step.changed,
    iterations: step.iterations,
    stats: step.stats,
    notes: step.notes,
    skipped: step.skipped,
    roundLimitReached: step.roundLimitReached,
    nodesBefore: step.nodesBefore,
    nodesAfter: step.nodesAfter,
    durationMs: step.durationMs,
  };
  if (step.verification) {
    // JSON has no Infinity: an output that could not be compared (a NaN appeared) has no relative error.
    if (Number.isFinite(step.verification.worst.relative)) summary.relativeError = step.verification.worst.relative;
    summary.verdict = step.verification.verdict;
    summary.words = step.verification.words;
  }
  if (step.undone) summary.undone = step.undone;
  if (step.beyondTolerance) summary.beyondTolerance = step.beyondTolerance;
  return summary;
}

/** A verification as report.json records it (JSON has no Infinity: identical outputs simply have no SQNR). */
export function verificationSummary(verification: Verification): VerificationSummary {
  const agreements = verification.outputs.map((output) => output.top1Agreement).filter((value): value is number => value !== undefined);
  const mismatch = verification.outputs.find((output) => output.mismatch);
  const summary: VerificationSummary = {
    status: verification.passed ? 'passed' : 'failed',
    verdict: verification.verdict,
    words: verification.words,
    inputs: verification.inputs,
    samples: verification.samples,
    ...finiteOnly({ maxAbs: verification.worst.maxAbs, relative: verification.worst.relative, sqnrDb: verification.worst.sqnrDb }),
    ...(verification.worst.cosine !== undefined ? { cosine: verification.worst.cosine } : {}),
    outputs: verification.outputs.map(({ maxAbs, relative, sqnrDb, scale, severity: _severity, ...rest }) => ({
      ...rest,
      ...finiteOnly({ maxAbs, relative, sqnrDb, scale }),
    })),
  };
  if (agreements.length) summary.top1Agreement = Math.min(...agreements);
  if (!verification.passed) summary.reason = mismatch ? `output "${mismatch.name}": ${mismatch.mismatch}` : verification.words;
  return summary;
}

/** Keeps the finite numbers only. */
function finiteOnly(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => Number.isFinite(value)));
}
