/**
 * BatchNormalization, frozen or in training mode.
 *
 * Frozen (the stored statistics m, v):
 *   Y = s·(X − m)/√(v + ε) + b
 *   dX = dY·s/√(v + ε),   ds = Σ dY·(X − m)/√(v + ε),   db = Σ dY      (Σ over all axes but channels)
 *
 * Training mode: `prepare` replaces the node by its definition with batch statistics, whose
 * gradient then follows from the rules of its parts, and adds the running-statistics updates
 *   μ = mean(X),  σ² = mean((X − μ)²),  Y = s·(X − μ)/√(σ² + ε) + b
 *   m′ = momentum·m + (1 − momentum)·μ,  v′ = momentum·v + (1 − momentum)·σ²
 */
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import type { Emitter } from '../emitter';
import { cannotTrain, defineRule, type PrepareContext } from '../rule';

function channelShaped(e: Emitter, v: Value, rank: number, batchAxis: boolean): Value {
  const axes = Array.from({ length: rank - 2 }, (_, i) => i + (batchAxis ? 2 : 1));
  return e.unsqueeze(v, batchAxis ? [0, ...axes] : axes);
}

function rankOf(e: Emitter, node: Node, x: Value): number {
  const rank = e.dims(x)?.length;
  if (rank === undefined || rank < 2) throw cannotTrain(node, 'the rank of its input is not known');
  return rank;
}

function trainingForm(c: PrepareContext): void {
  const { e, node } = c;
  const [x, scale, bias, mean, variance] = node.inputs;
  const y = node.outputs[0];
  if (!x || !scale || !bias || !mean || !variance || !y) return;
  const rank = rankOf(e, node, x);
  const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
  const start = e.graph.nodes.length;
  const mu = e.reduceMean(x, axes, true);
  const centered = e.sub(x, mu);
  const sigma2 = e.reduceMean(e.mul(centered, centered), axes, true);
  const inv = e.op('Reciprocal', [e.op('Sqrt', [e.add(sigma2, e.floats(node.float('epsilon', 1e-5)))])]);
  const normalized = e.mul(centered, inv);
  const out = e.add(e.mul(normalized, channelShaped(e, scale, rank, true)), channelShaped(e, bias, rank, true));
  const momentum = node.float('momentum', 0.9);
  const update = (running: Value, batch: Value): Value =>
    e.add(e.mul(running, e.floats(momentum)), e.mul(e.reduceMean(batch, axes, false), e.floats(1 - momentum)));
  const nextMean = update(mean, x);
  const nextVar = update(variance, e.mul(centered, centered));
  const created = e.graph.nodes.slice(start);
  // The last node computing `out` now writes the node's output value.
  const last = created.find((n) => n.outputs[0] === out);
  if (last) last.setOutput(0, y);
  c.replace(created);
  c.addState({ state: mean, next: nextMean });
  c.addState({ state: variance, next: nextVar });
}

export const batchNormRule = defineRule({
  ops: ['BatchNormalization'],
  constantInputs: [3, 4],
  prepare(c) {
    if (c.mode.batchNorm === 'train') trainingForm(c);
    else if (c.node.outputs.length > 1) c.node.outputs = c.node.outputs.slice(0, 1);
  },
  backward(c) {
    const { e, node, wants } = c;
    const x = c.input(0);
    const scale = c.input(1);
    const rank = rankOf(e, node, x);
    const dy = c.gradOf(0);
    const inv = e.op('Reciprocal', [e.op('Sqrt', [e.add(c.input(4), e.floats(node.float('epsilon', 1e-5)))])]);
    const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
    const dx = wants[0] ? e.mul(dy, channelShaped(e, e.mul(scale, inv), rank, false)) : undefined;
    const ds = wants[1]
      ? e.reduceSum(e.mul(dy, e.mul(e.sub(x, channelShaped(e, c.input(3), rank, false)), channelShaped(e, inv, rank, false))), axes, false)
      : undefined;
    const db = wants[2] ? e.reduceSum(dy, axes, false) : undefined;
    return [dx, ds, db];
  },
});
