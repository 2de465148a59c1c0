/**
 * Mean squared error between an output (or intermediate feature) X and a target T of the same
 * shape, and the plain vector-Jacobian product Σ X·R used by gradient checks:
 *
 *   MSE: L = Σ (X − T)² / |X|,   dX = 2·(X − T) / |X|
 *   dot: L = Σ X·R,              dX = R
 */
import type { Value } from '../../ir/value';
import type { Emitter } from '../emitter';
import { batchInput, floatCount, sumAll } from './inputs';
import type { EmittedLoss } from './loss';

export function mseLoss(e: Emitter, output: Value): EmittedLoss {
  const target = batchInput(e, `target/${output.name}`, e.float, e.dims(output));
  const diff = e.sub(output, target);
  const count = floatCount(e, output);
  return {
    loss: e.div(sumAll(e, e.mul(diff, diff)), count),
    grad: e.div(e.mul(diff, e.floats(2)), count),
    of: output,
    inputs: [{ role: 'target', value: target }],
  };
}

export function dotLoss(e: Emitter, output: Value): EmittedLoss {
  const r = batchInput(e, `target/${output.name}`, e.float, e.dims(output));
  return { loss: sumAll(e, e.mul(output, r)), grad: r, of: output, inputs: [{ role: 'target', value: r }] };
}
