import { LitheError } from '../../errors';
import type { DType } from '../../ir/dtype';
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import { Tensor } from '../../ir/tensor';
import type { Value } from '../../ir/value';
import { removeAttribute } from './attributes';
import { addConstant, constantTensor, floatTensor, int64Tensor } from './constants';
import { dtypeOf } from './shapes';

/** What an opset adapter works on: one node of one graph, being moved to `target`. */
export interface AdaptContext {
  graph: Graph;
  node: Node;
  /** Opset the whole model is being upgraded to. */
  target: number;
}

/** Throws the `unsupported` error of an upgrade that cannot be done for `node`. */
export function refuse(c: AdaptContext, why: string): never {
  const n = c.node;
  throw new LitheError('unsupported', `cannot upgrade ${n.opType} '${n.name || n.outputs[0]?.name || '?'}' to opset ${c.target}: ${why}`);
}

/** Adds a new constant initializer for `node`'s input named after the node and `what`. */
export function constantInput(c: AdaptContext, what: string, t: (name: string) => Tensor): Value {
  const base = `${c.node.name || c.node.outputs[0]?.name || c.node.opType}_${what}`;
  return addConstant(c.graph, t(c.graph.freshName(base)));
}

/** Moves the `ints` attribute `name` to input position `index` as an int64 tensor (if present). */
export function intsAttributeToInput(c: AdaptContext, name: string, index: number, scalar = false): boolean {
  const values = c.node.ints(name) ?? (c.node.attribute(name) ? [c.node.int(name, 0)] : undefined);
  if (!values) return false;
  removeAttribute(c.node, name);
  setInput(
    c.node,
    index,
    constantInput(c, name, (n) => int64Tensor(n, scalar ? [] : [values.length], values)),
  );
  return true;
}

/** A scalar constant of `dtype` (float32 or float64) holding `value`. */
export function floatScalar(c: AdaptContext, what: string, dtype: DType, value: number): Value {
  if (dtype === 'float32') return constantInput(c, what, (n) => floatTensor(n, [], [value]));
  if (dtype === 'float64')
    return constantInput(c, what, (n) => new Tensor(n, 'float64', [], new Uint8Array(Float64Array.of(value).buffer)));
  refuse(c, `needs a ${what} constant of type ${dtype}, which is not supported`);
}

/** The element type of `node`'s first input, defaulting to float32 when undeclared. */
export function dataType(c: AdaptContext): DType {
  return dtypeOf(c.node.inputs[0]) ?? 'float32';
}

/** Sets input `index` of `node`, filling skipped optional positions with `undefined`. */
export function setInput(node: Node, index: number, value: Value | undefined): void {
  node.setInput(index, value);
}

/** A constant tensor read by `value`, if it is one. */
export function constantOf(c: AdaptContext, value: Value | undefined): Tensor | undefined {
  return constantTensor(c.graph, value);
}
