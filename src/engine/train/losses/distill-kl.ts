/**
 * Distillation: KL divergence from the teacher's temperature-softened distribution p to the
 * student's q (teacher scores t fed as the target, temperature T, B samples):
 *
 *   p = softmax(t/T),  q = softmax(z/T)
 *   L  = T²·Σ p·(log p − log q) / B
 *   dz = T·(q − p) / B
 */
import { intAttr } from '../../passes/util/attributes';
import type { Value } from '../../ir/value';
import type { Emitter } from '../emitter';
import { batchInput, classCount, floatCount, logitsOf, sumAll } from './inputs';
import type { EmittedLoss } from './loss';

/** Temperature when none is given (why 2: see `DistillArgs.temperature` in the contract). */
export const DISTILL_TEMPERATURE = 2;

export function distillKlLoss(e: Emitter, output: Value, producer: Parameters<typeof logitsOf>[2], temperature: number): EmittedLoss {
  const z = logitsOf(e, output, producer);
  const target = batchInput(e, 'teacher', e.float, e.dims(z));
  const t = e.floats(temperature);
  const logP = e.op('LogSoftmax', [e.div(target, t)], { axis: intAttr(1) });
  const logQ = e.op('LogSoftmax', [e.div(z, t)], { axis: intAttr(1) });
  const p = e.op('Exp', [logP]);
  const samples = e.div(floatCount(e, z), classCount(e, z));
  const loss = e.div(e.mul(sumAll(e, e.mul(p, e.sub(logP, logQ))), e.floats(temperature * temperature)), samples);
  const grad = e.div(e.mul(e.sub(e.op('Exp', [logQ]), p), t), samples);
  return { loss, grad, of: z, inputs: [{ role: 'target', value: target }] };
}
