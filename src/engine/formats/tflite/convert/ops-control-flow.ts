// TFLite IF → ONNX If: each branch subgraph becomes an If branch graph.
//   IF(cond, a, b, …) then_subgraph_index = t, else_subgraph_index = e
//   ⇒  If(cond) then_branch = subgraph t, else_branch = subgraph e
// TFLite passes a, b, … into the subgraph's inputs; an ONNX branch has no inputs and reads them from
// the enclosing graph instead, so the branch is converted with its inputs bound to those values.
// Quantized data crosses as it is stored, on both sides.
import { cannot, type OpContext } from './op-context';

function ifOp(ctx: OpContext): void {
  const { em, base, node } = ctx;
  const passed = node.inputs.slice(1).map((_, k) => k + 1);
  const cond = ctx.facts(0);
  if (cond.dtype !== 'bool' || cond.shape.reduce((a, b) => a * b, 1) !== 1) cannot('the condition must be one bool');
  const thenBranch = ctx.branch(ctx.attr('then_subgraph_index', -1), passed, `${base}_then`);
  const elseBranch = ctx.branch(ctx.attr('else_subgraph_index', -1), passed, `${base}_else`);
  const outputs = node.outputs.map((v, i) => em.value(`${v?.name ?? base}_if`, ctx.outFacts(i).dtype, ctx.outFacts(i).shape));
  if (thenBranch.outputs.length !== outputs.length || elseBranch.outputs.length !== outputs.length)
    cannot(`the branches give ${thenBranch.outputs.length} and ${elseBranch.outputs.length} outputs for ${outputs.length}`);
  em.node('If', [ctx.raw(0)], outputs, { then_branch: { graph: thenBranch }, else_branch: { graph: elseBranch } });
  outputs.forEach((v, i) => ctx.setStored(i, v));
}

/** Converters for control flow. */
export const CONTROL_FLOW_OPS: Record<string, (ctx: OpContext) => void> = { IF: ifOp };
