/**
 * Cross-entropy on integer labels (class axis 1; one label per sample, or per position for
 * [N, C, …] outputs). With z the class scores, C classes, M the number of labels and label
 * smoothing ε (0: the plain one-hot target):
 *
 *   q  = (1 − ε)·onehot(y) + ε/C
 *   L  = −Σ q·log_softmax(z) / M
 *   dz = (softmax(z) − q) / M
 */
import { intAttr } from '../../passes/util/attributes';
import type { Emitter } from '../emitter';
import type { Value } from '../../ir/value';
import { batchInput, classCount, floatCount, logitsOf, sumAll } from './inputs';
import type { EmittedLoss } from './loss';

// onehot(y) along axis 1 of z: Equal(y[:, None, …], [0 … C−1] along axis 1), in the float type.
function oneHot(e: Emitter, labels: Value, z: Value, rank: number): Value {
  const dims = e.dims(z);
  const classes =
    typeof dims?.[1] === 'number' ? e.ints([dims[1]], []) : e.op('Gather', [e.shape(z), e.ints([1], [])], { axis: intAttr(0) });
  const range = e.op('Range', [e.ints([0], []), classes, e.ints([1], [])]);
  const column =
    rank > 2
      ? e.unsqueeze(
          range,
          Array.from({ length: rank - 2 }, (_, i) => i + 1),
        )
      : range;
  const hit = e.op('Equal', [e.unsqueeze(labels, [1]), column]);
  return e.op('Cast', [hit], { to: intAttr(e.float === 'float64' ? 11 : 1) });
}

export function crossEntropyLoss(e: Emitter, output: Value, producer: Parameters<typeof logitsOf>[2], smoothing = 0): EmittedLoss {
  const z = logitsOf(e, output, producer);
  const dims = e.dims(z);
  const labels = batchInput(e, 'labels', 'int64', dims ? [dims[0] ?? null, ...dims.slice(2)] : undefined);
  const onehot = oneHot(e, labels, z, dims?.length ?? 2);
  const target = smoothing > 0 ? e.add(e.mul(onehot, e.floats(1 - smoothing)), e.div(e.floats(smoothing), classCount(e, z))) : onehot;
  const logProbs = e.op('LogSoftmax', [z], { axis: intAttr(1) });
  const count = floatCount(e, labels);
  const loss = e.neg(e.div(sumAll(e, e.mul(target, logProbs)), count));
  const grad = e.div(e.sub(e.op('Exp', [logProbs]), target), count);
  return { loss, grad, of: z, inputs: [{ role: 'labels', value: labels }] };
}
