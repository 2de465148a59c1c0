// An If that decides at run time, one of whose branches cannot run at the model's fixed sizes:
//   If(cond) { then: runs } else { else: fails at these sizes }   ⇒   If(true) { then } else { else }
// (and the mirror image), which the constant-condition rule then replaces by the branch that runs.
// Models often switch on an input that must match the data's size (Silero VAD: sample rate 16000
// with 576 samples, 8000 with 288). Once the sizes are fixed, every run of the original that does
// not fail takes the branch that runs, so keeping only that branch changes no result it gives.
// Each branch is tried by running the model in onnxruntime with the condition forced to it.
import ort from 'onnxruntime-node';
import { decodeOnnx, encodeOnnx } from '../../../onnx';
import type { Model } from '../../../../ir/model';
import { Tensor } from '../../../../ir/tensor';
import { inlineIfs } from './inline-if';

/** A top-level If resolved to its runnable branch: `taken` is the branch kept, `why` the other's error. */
export interface ResolvedIf {
  node: string;
  taken: 'then' | 'else';
  why: string;
}

const nameOf = (n: { name: string; outputs: readonly ({ name: string } | undefined)[] }): string => n.name || n.outputs[0]?.name || 'if';

/** The error running `bytes` on `feeds` gives, or undefined when it runs. */
async function runError(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<string | undefined> {
  let session: ort.InferenceSession | undefined;
  try {
    session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled', logSeverityLevel: 4 });
    const names = new Set(session.inputNames);
    await session.run(Object.fromEntries(Object.entries(feeds).filter(([name]) => names.has(name))));
    return undefined;
  } catch (error) {
    // onnxruntime nests the message of a failing op inside those of the If nodes around it: keep the innermost
    const text = (String(error).split('\n')[0] ?? '').replace(/^Error: /, '');
    return (
      text
        .split(/Status Message: |Graph attribute inferencing failed: /)
        .at(-1)
        ?.trim() || text
    );
  } finally {
    await session?.release();
  }
}

/** `model` (not changed) with top-level If `index` replaced by its branch for `value`. */
function forced(model: Model, index: number, value: boolean): Uint8Array {
  const copy = decodeOnnx(encodeOnnx(model));
  const node = copy.graph.nodes[index];
  if (node) {
    const cond = copy.graph.addInitializer(
      new Tensor(copy.graph.freshName(`${nameOf(node)}_forced`), 'bool', [], new Uint8Array([value ? 1 : 0])),
    );
    node.setInput(0, cond);
    // only the forced branch is left: onnxruntime checks every branch when it loads a model
    inlineIfs(copy.graph, false);
  }
  return encodeOnnx(copy);
}

/**
 * For each top-level If of `model` whose condition is computed at run time, runs the model with the
 * condition forced each way on `feeds`; when exactly one way fails, the condition becomes the
 * constant of the other (in place). Returns the Ifs so resolved.
 */
export async function takeRunnableBranches(model: Model, feeds: Record<string, ort.Tensor>): Promise<ResolvedIf[]> {
  const resolved: ResolvedIf[] = [];
  const nodes = model.graph.nodes;
  for (const [index, node] of nodes.entries()) {
    const cond = node.inputs[0];
    if (node.opType !== 'If' || (node.domain !== '' && node.domain !== 'ai.onnx') || !cond || cond.initializer) continue;
    const thenError = await runError(forced(model, index, true), feeds);
    const elseError = await runError(forced(model, index, false), feeds);
    if ((thenError === undefined) === (elseError === undefined)) continue;
    const taken = thenError === undefined ? 'then' : 'else';
    const name = nameOf(node);
    node.setInput(
      0,
      model.graph.addInitializer(
        new Tensor(model.graph.freshName(`${name}_runs_${taken}`), 'bool', [], new Uint8Array([taken === 'then' ? 1 : 0])),
      ),
    );
    resolved.push({ node: name, taken, why: thenError ?? elseError ?? '' });
  }
  return resolved;
}
