import { LitheError } from '../../errors';
import { calledSubgraphs, findCallCycle } from './subgraph-calls';
import type { TfliteModel } from './tflite-model';

/**
 * Checks the indices inside a decoded model (operator codes, tensors, buffers, subgraphs) and that
 * no subgraph calls itself, directly or through others. Throws a `corrupt-model` LitheError.
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
