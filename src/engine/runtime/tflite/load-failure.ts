import { describePrepareFailure } from './prepare-failure';
import { describeQuantizationProblems, findQuantizationProblems, type TfliteModel } from '../../formats/tflite';

const KNOWN_CUSTOM: Record<string, string> = {
  'ethos-u': 'compiled for an Arm Ethos-U NPU by Vela',
};

/** Explains in plain words why the TFLite runtime refused a model, using what Lithe can see in it. */
export function describeTfliteLoadFailure(model: TfliteModel, runtimeMessage: string): string {
  const problems = findQuantizationProblems(model);
  if (problems.length && /quantization/i.test(runtimeMessage)) {
    const fixable = problems.every((p) => p.fixDimension !== null);
    return (
      `TFLite refused the model: ${describeQuantizationProblems(problems)}.` +
      (fixable
        ? ' Lithe can repair this: optimize it with the `graph` recipe (its step "Repair quantization settings for full TFLite").'
        : '')
    );
  }
  const custom = [...new Set(model.operatorCodes.filter((c) => c.customCode).map((c) => c.customCode!))];
  if (custom.length && /custom op/i.test(runtimeMessage)) {
    const named = custom.map((c) => (KNOWN_CUSTOM[c] ? `${c} (${KNOWN_CUSTOM[c]})` : c)).join(', ');
    return (
      `the TFLite runtime cannot run this model: it uses custom operator${custom.length > 1 ? 's' : ''} ${named} that only ` +
      `the runtime ${custom.length > 1 ? 'they were' : 'it was'} built for provides. Lithe can still read, inspect and write it ` +
      `unchanged.`
    );
  }
  const prepare = describePrepareFailure(model, runtimeMessage);
  if (prepare) return prepare;
  // the runtime's own lines, without its INFO chatter and the source files it names
  const detail = runtimeMessage
    .split('\n')
    .map((l) => l.trim().replace(/^(ERROR|WARNING):\s*\S+\.(cc|h|cpp)(:\d+)?\s+/, '$1: '))
    .filter((l) => l && !l.startsWith('INFO:'))
    .join('; ');
  return `the TFLite runtime could not load the model: ${detail}`;
}
