import { decodeOnnx, encodeOnnx } from '../formats/onnx';
import type { Model } from '../ir/model';
import { fixInputsAtPlannedSizes } from '../runtime/onnx/fix-input-sizes';
import { inputHints } from '../runtime/onnx/input-hints';
import { inferShapes } from '../ir/shape-inference';
import { estimateMacs, type MacEstimate } from './macs';

/**
 * MACs of an ONNX model whose inputs have open dimensions, at the representative sizes Lithe runs it with (the
 * same input plan as verification and benchmarks: batch 1, images 224×224, other axes 512), on a scratch copy
 * whose shapes are inferred again from those sizes. The notes say which sizes were used. `undefined` when every
 * input is already fixed or the model is not ONNX (then the declared shapes are the figure).
 */
export function representativeMacs(model: Model): MacEstimate | undefined {
  if (model.format !== 'onnx') return undefined;
  const inputs = model.graph.inputs.filter((v) => !v.initializer);
  if (inputs.some((v) => v.type?.kind !== 'tensor' || !v.type.shape)) return undefined;
  const open = inputs.some((v) => v.type?.kind === 'tensor' && v.type.shape?.some((d) => typeof d !== 'number' || d < 0));
  if (!open) return undefined;
  const copy = decodeOnnx(encodeOnnx(model));
  const graph = copy.graph;
  const plan = fixInputsAtPlannedSizes(
    graph.inputs.filter((v) => !v.initializer),
    inputHints(copy),
  );
  // Shapes declared or inferred with open dimensions are worked out again from the fixed sizes (graph outputs and
  // value_info count as declared, which inference keeps: the scratch copy drops them).
  for (const node of graph.nodes) for (const output of node.outputs) if (output) output.type = undefined;
  graph.annotated = [];
  graph.outputs = [];
  inferShapes(copy);
  const estimate = estimateMacs(graph);
  const assumed = plan.flatMap((p) => p.assumed.map((a) => `${p.name} ${a}`));
  return { ...estimate, notes: [`open dimensions at representative sizes: ${assumed.join('; ')}`, ...estimate.notes] };
}
