// Shapes the IR's shape rules cannot work out (say, after a Resize) are read from one run of the
// model in onnxruntime on representative inputs: the values whose shape is unknown but whose
// producer's inputs are all known are made extra outputs, the run reports their shapes, and shape
// inference carries on from there. The values a run exposes stay few, so memory stays small.
import ort from 'onnxruntime-node';
import { LitheError } from '../../../../errors';
import { encodeOnnx } from '../../../onnx';
import { isDType } from '../../../../ir/dtype';
import type { Model } from '../../../../ir/model';
import type { Value } from '../../../../ir/value';
import type { ValueType } from '../../../../ir/value-type';
import { inferShapes } from '../../../../ir/shape-inference';

/** True when `v` has a tensor type with a fully known shape. */
export function hasStaticShape(v: Value): boolean {
  if (v.initializer) return true;
  const t = v.type;
  return t?.kind === 'tensor' && t.shape !== undefined && t.shape.every((d) => typeof d === 'number');
}

/** All of an onnxruntime failure's message (its later lines often say which node and why), without colour codes. */
function wholeMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').trim();
}

/** Values of the main graph to expose next: unknown shape, produced by a node whose inputs are all known. */
function frontier(model: Model): Value[] {
  const out: Value[] = [];
  for (const node of model.graph.nodes) {
    if (!node.inputs.every((i) => !i || hasStaticShape(i))) continue;
    for (const o of node.outputs) if (o && !hasStaticShape(o)) out.push(o);
  }
  return out;
}

/**
 * Runs `model` in onnxruntime on `feeds` as often as needed (at most `rounds` times) to learn the
 * shape of every main-graph value shape inference leaves open. Returns how many values got a shape.
 * The inputs are declared to onnxruntime with `declared` types (the model's own, open sizes and
 * all): fixed sizes can make onnxruntime's own checks fail in a branch the run never takes.
 */
export async function observeShapes(
  model: Model,
  feeds: Record<string, ort.Tensor>,
  declared: ReadonlyMap<Value, ValueType | undefined>,
  rounds = 12,
): Promise<number> {
  let learned = 0;
  for (let round = 0; round < rounds; round++) {
    inferShapes(model);
    const wanted = frontier(model);
    if (!wanted.length) break;
    const outputs = model.graph.outputs;
    const saved = new Map(wanted.map((v) => [v, v.type]));
    // declare the element type only: ORT fills in the rest
    for (const v of wanted) v.type = v.type?.kind === 'tensor' ? { kind: 'tensor', dtype: v.type.dtype } : undefined;
    model.graph.outputs = [...outputs, ...wanted.filter((v) => !outputs.includes(v))];
    const fixed = model.graph.inputs.map((v) => v.type);
    for (const v of model.graph.inputs) if (declared.has(v)) v.type = declared.get(v);
    let results: ort.InferenceSession.ReturnType;
    let session: ort.InferenceSession | undefined;
    try {
      session = await ort.InferenceSession.create(encodeOnnx(model), { graphOptimizationLevel: 'disabled', logSeverityLevel: 4 });
      const names = new Set(session.inputNames);
      results = await session.run(Object.fromEntries(Object.entries(feeds).filter(([name]) => names.has(name))));
    } catch (error) {
      throw new LitheError('runtime-failed', `onnxruntime could not run the model to learn its shapes: ${wholeMessage(error)}`, {
        cause: error,
      });
    } finally {
      model.graph.outputs = outputs;
      model.graph.inputs.forEach((v, i) => (v.type = fixed[i]));
      await session?.release();
    }
    let progress = 0;
    for (const v of wanted) {
      const r = results[v.name];
      if (r && isDType(r.type)) {
        v.type = { kind: 'tensor', dtype: r.type, shape: [...r.dims] };
        progress++;
      } else {
        v.type = saved.get(v);
      }
    }
    learned += progress;
    if (!progress) break;
  }
  return learned;
}
