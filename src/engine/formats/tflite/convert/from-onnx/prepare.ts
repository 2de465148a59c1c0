// Gets an ONNX model ready for translation to TFLite, whose tensors all have fixed shapes:
// 1. initializers also listed as graph inputs become plain constants (their stored values);
// 2. models older than opset 7 are upgraded (their operators meant different things);
// 3. open input dimensions are fixed: from the caller's sizes, else representative ones (said in the notes);
// 4. uint8 quantized activations become int8 ones (shift-uint8.ts), integer operators (QLinearConv, QLinearMatMul,
//    QLinearAdd) that TFLite's int8 kernels cannot take become QDQ around float ones, and
//    quantized constants (DequantizeLinear of constant data) become float constants;
// 5. constants are folded (Constant nodes and every computation on constants or fixed shapes),
//    If nodes with a constant condition are replaced by their branch, and shapes the IR cannot
//    infer are read from a run in onnxruntime — repeated until nothing changes;
// 6. the remaining If nodes become both branches and a Where per result; when computing both fails,
//    an If one of whose branches cannot run at these sizes keeps the other (see runnable-branch.ts).
import type ort from 'onnxruntime-node';
import type { EngineContext } from '../../../../context';
import { LitheError, throwIfCancelled } from '../../../../errors';
import type { Model } from '../../../../ir/model';
import { decodeOnnx, encodeOnnx } from '../../../onnx';
import { inferShapes } from '../../../../ir/shape-inference';
import { fixDimensions } from '../../../../passes/fix-dimensions';
import { foldConstants } from '../../../../passes/fold-constants';
import { upgradeOpset } from '../../../../passes/upgrade-opset';
import { makeFeeds } from '../../../../runtime/onnx/input-data';
import { planInputs, type DeclaredInput, type PlannedInput } from '../../../../runtime/onnx/input-plan';
import { inputHints } from '../../../../runtime/onnx/input-hints';
import { dequantizeWeights } from './dequantize-weights';
import { inlineIfs, mismatchedSelects, type LoweredIf } from './inline-if';
import { observeShapes } from './observe-shapes';
import { qlinearToQdq } from './qlinear-to-qdq';
import { shiftUint8ToInt8 } from './shift-uint8';
import { takeRunnableBranches } from './runnable-branch';

/** Options for {@link prepareOnnx}. */
export interface PrepareOptions {
  /** Sizes of open dimensions, by dimension name or `input:axis` (as `--dim name=value`). */
  dims?: Record<string, number>;
}

/** What {@link prepareOnnx} did. */
export interface PreparedOnnx {
  /** Sentences for the report: sizes Lithe chose, upgrades, folded constants. */
  notes: string[];
  /** The input plan: every input's fixed shape (the sizes to run the original model with, too). */
  inputs: PlannedInput[];
  /** Ifs that could not be resolved (node name and why): these cannot be converted. */
  unselectable: Array<{ node: string; reason: string }>;
}

// Largest constant a fold may produce: TFLite needs every shape-deciding value folded, so this is generous,
// and results are stored even where they take more bytes than the computation (a ConstantOfShape of pads).
const FOLD_LIMIT = 64 * 1024 * 1024;

function declared(model: Model): DeclaredInput[] {
  return model.graph.inputs
    .filter((v) => !v.initializer)
    .map((v) => {
      const t = v.type?.kind === 'tensor' ? v.type : undefined;
      return { name: v.name, dtype: t?.dtype ?? '', shape: (t?.shape ?? []).map((d) => d ?? '') };
    });
}

/** Rewrites `model` in place (see the module comment); throws `unsupported` when a step cannot be done. */
export async function prepareOnnx(model: Model, options: PrepareOptions = {}, ctx: EngineContext = {}): Promise<PreparedOnnx> {
  const notes: string[] = [];
  const listed = model.graph.inputs.filter((v) => v.initializer);
  if (listed.length) {
    model.graph.inputs = model.graph.inputs.filter((v) => !v.initializer);
    notes.push(`${listed.length} stored weights the model also lists as inputs were taken as constants (their stored values)`);
  }
  const opset = model.opsetVersion('') ?? 0;
  if (opset < 7) {
    try {
      await upgradeOpset.run(model, { target: 13 }, ctx);
      notes.push(`the model was moved from ONNX opset ${opset} to 13 first (older operators meant different things)`);
    } catch (error) {
      throw new LitheError('unsupported', `the model uses ONNX opset ${opset}, and moving it to a current one failed: ${String(error)}`);
    }
  }
  const inputs = planInputs(declared(model), options.dims ?? {}, undefined, inputHints(model));
  const original = new Map(model.graph.inputs.map((v) => [v, v.type] as const));
  for (const input of inputs) for (const why of input.assumed) notes.push(`input "${input.name}": ${why}`);
  await fixDimensions.run(model, { dims: {}, shapes: Object.fromEntries(inputs.map((i) => [i.name, i.shape])) }, ctx);
  inferShapes(model);
  const shifted = shiftUint8ToInt8(model.graph);
  if (shifted) notes.push(`${shifted} uint8 quantized tensor(s) are held as int8 with zero points moved by −128 (the same real values)`);
  const spelled = qlinearToQdq(model.graph);
  if (spelled)
    notes.push(
      `${spelled} operator(s) on quantized data (QLinear*, MaxPool) run as float between QUANTIZE and DEQUANTIZE in the TFLite model`,
    );
  const expanded = dequantizeWeights(model.graph);
  if (expanded)
    notes.push(`${expanded} quantized weight tensor(s) are stored as float32 in the TFLite model (its float kernels read float weights)`);
  const feeds: Record<string, ort.Tensor> = makeFeeds(inputs, 1);
  // the declared input types by name: a graph put back from its snapshot has new input values
  const declaredTypes = new Map(model.graph.inputs.map((v) => [v.name, original.get(v)] as const));
  const declaredNow = () => new Map(model.graph.inputs.map((v) => [v, declaredTypes.get(v.name)] as const));
  const lowered: LoweredIf[] = [];
  let folded = 0;
  // Ifs that could not be lowered: computing both branches failed, or they give different shapes
  const unrunnable: string[] = [];
  const mismatched: string[] = [];
  const settle = async (): Promise<void> => {
    let snapshot: Uint8Array | undefined;
    const putBack = (into: string[]): void => {
      if (!snapshot) return;
      model.graph = decodeOnnx(snapshot).graph;
      inferShapes(model);
      into.push(...lowered.map((l) => l.node));
      lowered.length = 0;
    };
    for (let round = 0, select = false; round < 24; round++) {
      throwIfCancelled(ctx.signal);
      inferShapes(model);
      const fold = await foldConstants.run(model, { maxOutputBytes: FOLD_LIMIT, allowGrowth: true }, ctx);
      folded += (fold.stats.nodesFolded ?? 0) + (fold.stats.constantNodesToInitializers ?? 0);
      const ifs = inlineIfs(model.graph, select);
      lowered.push(...ifs.lowered);
      let learned: number;
      try {
        learned = await observeShapes(model, feeds, declaredNow());
      } catch (error) {
        // computing both branches of an If failed: one of them cannot run on these inputs; put the Ifs back
        if (!snapshot || !(error instanceof LitheError)) throw error;
        putBack(unrunnable);
        return;
      }
      if (fold.changed || ifs.replaced || learned) continue;
      // nothing left to fold: lower the Ifs whose condition depends on the inputs, then fold again
      if (select || !model.graph.nodes.some((n) => n.opType === 'If')) break;
      select = true;
      snapshot = encodeOnnx(model);
    }
    if (mismatchedSelects(lowered).length) putBack(mismatched);
  };
  await settle();
  if (unrunnable.length || mismatched.length) {
    // an If with a branch that cannot run at these sizes always takes the other one
    const resolved = await takeRunnableBranches(model, feeds);
    for (const r of resolved)
      notes.push(
        `If "${r.node}" always takes its ${r.taken} branch at these sizes: ` +
          `the ${r.taken === 'then' ? 'else' : 'then'} branch fails on them in the original too (${r.why})`,
      );
    if (resolved.length) {
      unrunnable.length = 0;
      mismatched.length = 0;
      await settle();
    }
  }
  if (folded) notes.push(`${folded} constant computations were done ahead of time`);
  if (lowered.length)
    notes.push(
      `${lowered.length} If node(s) deciding at run time now compute both branches and select the result (${lowered.map((l) => l.node).join(', ')})`,
    );
  const unselectable = mismatched.map((node) => ({
    node,
    reason: 'its two branches give results of different shapes, so TFLite cannot choose between them',
  }));
  for (const node of unrunnable)
    unselectable.push({
      node,
      reason: 'it decides at run time, and computing both branches fails on these inputs (TFLite subgraphs are not supported yet)',
    });
  return { notes, inputs, unselectable };
}
