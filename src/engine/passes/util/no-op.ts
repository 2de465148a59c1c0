import { dtypeFromOnnx } from '../../formats/onnx';
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import { isStaticShape } from '../../ir/shape';
import type { Value } from '../../ir/value';
import { constantTensor, tensorNumbers } from './constants';
import { dtypeOf, shapeOf } from './shapes';

/** What a node needs to know about its graph to decide whether it is a no-op. */
export interface NoOpContext {
  graph: Graph;
}

const constNumbers = (c: NoOpContext, v: Value | undefined): number[] | undefined => {
  const t = constantTensor(c.graph, v);
  return t ? tensorNumbers(t) : undefined;
};

// True when a constant of `constDims` broadcast against `x` leaves `x`'s shape unchanged.
function broadcastKeepsShape(x: Value | undefined, constDims: number[]): boolean {
  const shape = shapeOf(x);
  if (!shape || constDims.length > shape.length) return false;
  const offset = shape.length - constDims.length;
  return constDims.every((d, i) => d === 1 || d === shape[offset + i]);
}

function arithmeticNoOp(c: NoOpContext, node: Node): Value | undefined {
  const neutral = node.opType === 'Add' || node.opType === 'Sub' ? 0 : 1;
  const commutative = node.opType === 'Add' || node.opType === 'Mul';
  const [a, b] = node.inputs;
  const candidates: [Value | undefined, Value | undefined][] = commutative
    ? [
        [a, b],
        [b, a],
      ]
    : [[a, b]];
  for (const [x, k] of candidates) {
    const t = constantTensor(c.graph, k);
    const values = t ? tensorNumbers(t) : undefined;
    if (!t || !values || !values.every((v) => v === neutral)) continue;
    if (dtypeOf(x) !== t.dtype || !broadcastKeepsShape(x, t.dims)) continue;
    return x;
  }
  return undefined;
}

function reshapeNoOp(c: NoOpContext, node: Node): Value | undefined {
  const x = node.inputs[0];
  const shape = shapeOf(x);
  const target = node.inputs[1] ? constNumbers(c, node.inputs[1]) : node.ints('shape');
  if (!shape || !target || !isStaticShape(shape) || target.length !== shape.length) return undefined;
  const allowZero = node.int('allowzero', 0) === 1;
  const same = target.every((d, i) => d === shape[i] || (d === 0 && !allowZero) || d === -1);
  const inferred = target.filter((d) => d === -1).length <= 1;
  return same && inferred ? x : undefined;
}

function padNoOp(c: NoOpContext, node: Node): Value | undefined {
  const pads = node.inputs[1] ? constNumbers(c, node.inputs[1]) : (node.ints('pads') ?? node.ints('paddings'));
  return pads && pads.every((p) => p === 0) ? node.inputs[0] : undefined;
}

function dropoutNoOp(c: NoOpContext, node: Node): Value | undefined {
  const mask = node.outputs[1];
  if (mask && c.graph.useCount(mask) > 0) return undefined;
  const training = node.inputs[2];
  if (training) {
    const flag = constNumbers(c, training);
    if (!flag || flag.some((f) => f !== 0)) return undefined;
  }
  return node.inputs[0];
}

/**
 * The input a node passes through unchanged — Identity, inference Dropout, Reshape to the same
 * shape, Cast to the same type, Transpose by the identity permutation, Pad by zeros, Add/Sub of
 * zero, Mul/Div by one — or `undefined` when the node does real work (or its shapes are unknown).
 */
export function passThroughInput(c: NoOpContext, node: Node): Value | undefined {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
  const x = node.inputs[0];
  switch (node.opType) {
    case 'Identity':
      return x;
    case 'Dropout':
      return dropoutNoOp(c, node);
    case 'Reshape':
      return reshapeNoOp(c, node);
    case 'Cast': {
      const to = dtypeFromOnnx(node.int('to', 0));
      return to !== undefined && dtypeOf(x) === to ? x : undefined;
    }
    case 'Transpose': {
      const perm = node.ints('perm');
      return perm && perm.every((p, i) => p === i) ? x : undefined;
    }
    case 'Pad':
      return padNoOp(c, node);
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return arithmeticNoOp(c, node);
    default:
      return undefined;
  }
}
