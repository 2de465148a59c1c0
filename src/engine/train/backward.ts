import { LitheError } from '../errors';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import { isFloatDType } from '../ir/dtype';
import type { Emitter } from './emitter';
import { ruleFor } from './rules';
import { cannotTrain, type BackwardContext } from './rule';

// Operators whose outputs never carry a gradient (integer or boolean results, shapes).
const NON_DIFFERENTIABLE = new Set(
  (
    'Shape Size ArgMax ArgMin NonZero Equal Less LessOrEqual Greater GreaterOrEqual Not And Or Xor IsNaN IsInf ConstantOfShape ' +
    'Constant Range OneHot TopK RandomNormal RandomUniform RandomNormalLike RandomUniformLike Bernoulli Multinomial EyeLike ' +
    'Sign Floor Ceil Round'
  ).split(' '),
);

function carriesGradient(node: Node, output: Value): boolean {
  // Fake quantization: the integer tensor carries the straight-through gradient in real units.
  if (node.opType === 'QuantizeLinear') return true;
  const t = output.type;
  if (t?.kind === 'tensor') return isFloatDType(t.dtype);
  return !NON_DIFFERENTIABLE.has(node.opType);
}

/** The values that depend on `wrt` through differentiable inputs, in a topologically ordered graph. */
export function valuesNeedingGradient(order: readonly Node[], wrt: Iterable<Value>): Set<Value> {
  const needs = new Set<Value>(wrt);
  for (const node of order) {
    const constant = ruleFor(node.opType, node.domain)?.constantInputs ?? [];
    if (!node.inputs.some((v, i) => v && needs.has(v) && !constant.includes(i))) continue;
    for (const o of node.outputs) if (o && carriesGradient(node, o)) needs.add(o);
  }
  return needs;
}

/**
 * Emits the backward pass: walking the nodes in reverse order, each rule turns the gradients of a
 * node's outputs into the gradients of its inputs; contributions to one value are summed. `seeds`
 * gives the loss's gradients of forward values. Returns the gradient of each `wrt` value (zeros
 * when the loss does not depend on it).
 */
export function emitBackward(e: Emitter, order: readonly Node[], seeds: Map<Value, Value[]>, wrt: readonly Value[]): Map<Value, Value> {
  const needs = valuesNeedingGradient(order, wrt);
  const contributions = new Map<Value, Value[]>([...seeds].map(([v, list]) => [v, [...list]]));
  const total = (v: Value | undefined): Value | undefined => {
    const list = v && contributions.get(v);
    if (!list?.length) return undefined;
    const sum = list.length === 1 ? list[0]! : e.op('Sum', list);
    contributions.set(v!, [sum]);
    return sum;
  };
  for (const node of [...order].reverse()) {
    const dY = node.outputs.map(total);
    if (dY.every((g) => g === undefined)) continue;
    const rule = ruleFor(node.opType, node.domain);
    const constant = rule?.constantInputs ?? [];
    const wants = node.inputs.map((v, i) => Boolean(v && needs.has(v) && !constant.includes(i)));
    if (!wants.some(Boolean)) continue;
    if (!rule) throw noRule(node, order, wrt);
    const context: BackwardContext = {
      node,
      e,
      dY,
      wants,
      input: (i) => node.inputs[i] ?? missing(node, `input ${i}`),
      output: (i) => node.outputs[i] ?? missing(node, `output ${i}`),
      gradOf: (i) => dY[i] ?? e.zerosLike(node.outputs[i] ?? missing(node, `output ${i}`)),
      refuse: (why) => cannotTrain(node, why),
    };
    let grads: (Value | undefined)[];
    try {
      grads = rule.backward(context);
    } catch (error) {
      if (error instanceof LitheError && !error.message.startsWith('Lithe cannot train')) throw cannotTrain(node, error.message);
      throw error;
    }
    node.inputs.forEach((v, i) => {
      const g = grads[i];
      if (!v || !wants[i] || !g) return;
      const list = contributions.get(v);
      if (list) list.push(g);
      else contributions.set(v, [g]);
    });
  }
  return new Map(wrt.map((v) => [v, total(v) ?? e.zerosLike(v)]));
}

function missing(node: Node, what: string): never {
  throw cannotTrain(node, `its ${what} is missing`);
}

// The error for a node without a rule, naming the trainable weights before it that would need freezing.
function noRule(node: Node, order: readonly Node[], wrt: readonly Value[]): LitheError {
  const producers = new Map<Value, Node>();
  for (const n of order) for (const o of n.outputs) if (o) producers.set(o, n);
  const wanted = new Set(wrt);
  const before = new Set<Value>();
  const seen = new Set<Node>();
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const v of n.inputs) {
      if (!v) continue;
      if (wanted.has(v)) before.add(v);
      const p = producers.get(v);
      if (p) stack.push(p);
    }
  }
  const names = [...before].map((v) => v.name);
  const list = names.slice(0, 4).join(', ') + (names.length > 4 ? `, … (${names.length} in all)` : '');
  return new LitheError(
    'unsupported',
    `Lithe cannot train through the ${node.domain ? `${node.domain}.` : ''}${node.opType} node "${node.name || node.outputs[0]?.name}": there is no gradient rule for ${node.opType}. ` +
      `Freeze the layers before it (keep ${list} fixed) to train the layers after it.`,
  );
}
