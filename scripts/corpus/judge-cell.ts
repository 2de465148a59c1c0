// Whether a measured cell is what the corpus expects, plus the rules that hold for every model whatever the file says.
import type { Expectation, Measured, Operation } from './corpus-schema';

/** The judgement of one cell. */
export interface Judgement {
  /** `expected`: as the file says; `unexpected`: differs (a failure); `new`: the file has no expectation yet. */
  status: 'expected' | 'unexpected' | 'new';
  problems: string[];
}

const EXACT_FIDELITY = new Set(['identical', 'rounding']);
/** Words the engine may use only when the results really are the same up to float rounding. */
const EXACT_WORDS = /^(identical|within float rounding)/i;

/** Judges `measured` against `expected` (absent: a new cell) and the rules every model keeps. */
export function judgeCell(operation: Operation, measured: Measured, expected: Expectation | undefined): Judgement {
  const problems = [...universalProblems(operation, measured)];
  if (!expected) return { status: problems.length || measured.outcome === 'failed' ? 'unexpected' : 'new', problems };
  if (measured.outcome !== expected.expect) {
    problems.push(`expected ${expected.expect}${expected.reason ? ` (${expected.reason})` : ''}, got ${measured.outcome}`);
  } else if (expected.reason !== undefined && measured.reason !== expected.reason) {
    problems.push(`expected the reason "${expected.reason}", got "${measured.reason ?? ''}"`);
  }
  if (ran(measured)) problems.push(...boundProblems(measured, expected));
  return { status: problems.length ? 'unexpected' : 'expected', problems };
}

/** Rules that hold for every model: `graph` is exact and never larger; exact words only for exact results. */
function universalProblems(operation: Operation, m: Measured): string[] {
  const problems: string[] = [];
  if (m.outcome === 'failed' || m.outcome === 'timeout') problems.push(`${m.outcome}: ${m.reason ?? ''}`);
  if (ran(m) && operation === 'graph') {
    if (m.fidelity && m.fidelity !== 'not-run' && !EXACT_FIDELITY.has(m.fidelity))
      problems.push(`graph is not exact: ${describeFidelity(m)}`);
    if (m.size !== undefined && m.size > 1) problems.push(`graph made the file larger (×${m.size})`);
  }
  if (ran(m) && m.verdict && EXACT_WORDS.test(m.verdict) && m.fidelity && m.fidelity !== 'not-run' && !EXACT_FIDELITY.has(m.fidelity))
    problems.push(`the report says "${m.verdict}" but the independent comparison found ${describeFidelity(m)}`);
  return problems;
}

/** The operation produced a result (which the bounds then judge). */
function ran(m: Measured): boolean {
  return m.outcome === 'ok' || m.outcome === 'partial' || m.outcome === 'unchanged';
}

function boundProblems(m: Measured, e: Expectation): string[] {
  const problems: string[] = [];
  if (e.exact && m.fidelity !== 'not-run' && !EXACT_FIDELITY.has(m.fidelity ?? ''))
    problems.push(`expected an exact result, found ${describeFidelity(m)}`);
  if (e.cosine !== undefined && (m.cosine ?? -Infinity) < e.cosine && m.fidelity !== 'not-run')
    problems.push(`cosine ${m.cosine ?? 'n/a'} is below ${e.cosine}`);
  if (e.error !== undefined && (m.error ?? Infinity) > e.error && m.fidelity !== 'not-run')
    problems.push(`error ${m.error ?? 'n/a'} is above ${e.error}`);
  if (e.size !== undefined && (m.size ?? Infinity) > e.size) problems.push(`size ×${m.size ?? 'n/a'} is above ×${e.size}`);
  const skipped = (m.skipped ?? []).map((step) => step.split(':')[0]).join(', ');
  const expectedSkips = (e.skipped ?? []).join(', ');
  if (skipped !== expectedSkips) problems.push(`steps rolled back: ${skipped || 'none'} (expected ${expectedSkips || 'none'})`);
  return problems;
}

/** The independent figure in words: "identical", "within float rounding", "cosine 0.9990", "error 3.1e-2". */
export function describeFidelity(m: Measured): string {
  if (m.fidelity === 'identical') return 'identical outputs';
  if (m.fidelity === 'rounding') return 'outputs within float rounding';
  if (m.fidelity === 'not-run') return `no comparison (${m.notRun ?? 'not run'})`;
  const parts = [m.cosine !== undefined ? `cosine ${m.cosine}` : '', m.error !== undefined ? `error ${m.error}` : ''].filter(Boolean);
  return parts.join(', ') || (m.fidelity ?? 'nothing measured');
}
