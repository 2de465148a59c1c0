import { LitheError } from '../../errors';
import { dtypeBits } from '../../ir/dtype';
import { dtypeFromTflite } from './dtype-map';
import { calledSubgraphs, findCallCycle } from './subgraph-calls';
import type { TfliteModel, TfliteTensor } from './tflite-model';

/**
 * Checks the indices inside a decoded model (operator codes, tensors, buffers, subgraphs), that
 * every constant tensor's buffer holds at least what its shape needs, and that no subgraph calls
 * itself, directly or through others. Throws a `corrupt-model` LitheError.
 */
export function validateTfliteModel(model: TfliteModel, file?: string): void {
  const fail = (message: string): never => {
    throw new LitheError('corrupt-model', message, { file });
  };
  const subgraphCount = model.subgraphs.length;
  if (subgraphCount === 0) fail('the model has no subgraphs');
  const calls: number[][] = [];
  model.subgraphs.forEach((g, gi) => {
    const where = `subgraph ${gi}`;
    const tensorCount = g.tensors.length;
    const checkTensor = (t: number, what: string, optional = false): void => {
      if (optional && t === -1) return;
      if (!Number.isInteger(t) || t < 0 || t >= tensorCount)
        fail(`${where}: ${what} refers to tensor ${t}, but there are ${tensorCount} tensors`);
    };
    g.inputs.forEach((t) => checkTensor(t, 'an input'));
    g.outputs.forEach((t) => checkTensor(t, 'an output'));
    g.tensors.forEach((t, ti) => {
      if (t.buffer !== 0 && t.buffer >= model.buffers.length)
        fail(`${where}: tensor ${ti} (${t.name ?? 'unnamed'}) refers to buffer ${t.buffer}, but there are ${model.buffers.length} buffers`);
      const held = t.buffer === 0 ? 0 : (model.buffers[t.buffer]?.data?.length ?? 0);
      const problem = held > 0 ? constantSizeProblem(t, held) : null;
      if (problem) fail(`${where}: tensor ${ti} (${t.name ?? 'unnamed'}) ${problem}`);
    });
    const targets: number[] = [];
    g.operators.forEach((op, oi) => {
      if (op.opcodeIndex >= model.operatorCodes.length)
        fail(`${where}: operator ${oi} uses operator code ${op.opcodeIndex}, but there are ${model.operatorCodes.length}`);
      op.inputs.forEach((t) => checkTensor(t, `operator ${oi}'s input`, true));
      op.outputs.forEach((t) => checkTensor(t, `operator ${oi}'s output`, true));
      op.intermediates?.forEach((t) => checkTensor(t, `operator ${oi}'s intermediate`));
      for (const target of calledSubgraphs(op)) {
        if (!Number.isInteger(target) || target < 0 || target >= subgraphCount)
          fail(`${where}: operator ${oi} calls subgraph ${target}, but there are ${subgraphCount} subgraphs`);
        targets.push(target);
      }
    });
    calls.push(targets);
  });
  const cycle = findCallCycle(calls);
  if (cycle) fail(`subgraphs call each other in a cycle (${cycle.join(' → ')}); TFLite would recurse forever`);
  model.signatureDefs?.forEach((s, si) => {
    const subgraph =
      model.subgraphs[s.subgraphIndex] ??
      fail(`signature ${si} (${s.signatureKey ?? 'unnamed'}) refers to subgraph ${s.subgraphIndex}, but there are ${subgraphCount}`);
    const tensors = subgraph.tensors.length;
    for (const m of [...(s.inputs ?? []), ...(s.outputs ?? [])]) {
      if (m.tensorIndex >= tensors)
        fail(`signature ${si} maps "${m.name ?? ''}" to tensor ${m.tensorIndex}, but subgraph ${s.subgraphIndex} has ${tensors} tensors`);
    }
  });
  model.metadata?.forEach((m) => {
    if (m.buffer >= model.buffers.length)
      fail(`metadata "${m.name ?? ''}" refers to buffer ${m.buffer}, but there are ${model.buffers.length} buffers`);
  });
}

/**
 * Why a constant tensor's `held` buffer bytes cannot be its data, or null: a negative dimension, or
 * fewer bytes than its shape needs (TFLite would read past the buffer). Sparse tensors store fewer
 * values by design, and strings have no fixed width; both are left to their own readers.
 */
function constantSizeProblem(t: TfliteTensor, held: number): string | null {
  const dtype = dtypeFromTflite(t.type);
  const bits = dtypeBits(dtype);
  if (t.sparsity || bits === 0) return null;
  const shape = t.shape ?? [];
  const negative = shape.find((d) => d < 0);
  if (negative !== undefined) return `is a constant with a negative dimension (shape [${shape.join(',')}])`;
  const count = shape.reduce((n, d) => n * BigInt(d), 1n);
  const needed = (count * BigInt(bits) + 7n) / 8n;
  if (BigInt(held) >= needed) return null;
  return (
    `has shape [${shape.join(',')}] (${count} elements of ${dtype}) = ${needed} bytes, ` +
    `but its buffer ${t.buffer} holds ${held} bytes; the file is corrupt or truncated`
  );
}
