/**
 * Hard pseudo-labels from a teacher: cross-entropy on the teacher's top class, counted only on the
 * samples where the teacher is confident (its top probability at least `threshold`). With teacher
 * scores t fed as the target, student scores z and B samples:
 *
 *   p = softmax(t),  y = argmax t,  m = [max p ≥ threshold]
 *   L  = −Σ m·onehot(y)·log_softmax(z) / B
 *   dz = m·(softmax(z) − onehot(y)) / B
 */
import { intAttr } from '../../passes/util/attributes';
import type { Value } from '../../ir/value';
import type { Emitter } from '../emitter';
import { batchInput, classCount, floatCount, logitsOf, sumAll } from './inputs';
import type { EmittedLoss } from './loss';

/** Top probability from which a teacher's answer counts as a label (when none is given). */
export const PSEUDO_LABEL_THRESHOLD = 0.9;

export function pseudoLabelLoss(e: Emitter, output: Value, producer: Parameters<typeof logitsOf>[2], threshold: number): EmittedLoss {
  const z = logitsOf(e, output, producer);
  const target = batchInput(e, 'teacher', e.float, e.dims(z));
  const to = { to: intAttr(e.float === 'float64' ? 11 : 1) };
  const onehot = e.op('Cast', [e.op('Equal', [target, e.reduceMax(target, [1], true)])], to);
  const top = e.reduceMax(e.op('Softmax', [target], { axis: intAttr(1) }), [1], true);
  const mask = e.op('Cast', [e.op('GreaterOrEqual', [top, e.floats(threshold)])], to);
  const picked = e.mul(onehot, mask);
  const logQ = e.op('LogSoftmax', [z], { axis: intAttr(1) });
  const samples = e.div(floatCount(e, z), classCount(e, z));
  const loss = e.neg(e.div(sumAll(e, e.mul(picked, logQ)), samples));
  const grad = e.div(e.mul(e.sub(e.op('Exp', [logQ]), onehot), mask), samples);
  return { loss, grad, of: z, inputs: [{ role: 'target', value: target }] };
}
