import { inputLayout, type InputLayout } from '../data/input-layout';
import { tfliteRecord, type TfliteValueRecord } from '../formats/tflite/ir-records';
import type { Model } from '../ir/model';
import { inputHints } from '../runtime/onnx/input-hints';
import { planInputs, type DeclaredInput, type PlannedInput } from '../runtime/onnx/input-plan';

/**
 * The model's inputs (stored weights listed as inputs left out) at the sizes Lithe runs it with: for ONNX the
 * input plan that verification and benchmarks use (open batch 1, open image sides 224, other open axes 512); for
 * TFLite the shape stored in the file, which is the one the TFLite runtime runs (its shape signature may leave
 * axes open, but the runtime cannot resize them).
 */
export function plannedInputs(model: Model): PlannedInput[] {
  const initializers = new Set(model.graph.initializers.map((t) => t.name));
  const inputs = model.graph.inputs.filter((v) => !v.initializer && !initializers.has(v.name));
  const declared: DeclaredInput[] = [];
  for (const v of inputs) {
    // Only tensors can be generated; a runner says what is wrong with any other input when it loads the model.
    if (v.type?.kind !== 'tensor') continue;
    const stored = model.format === 'tflite' ? tfliteRecord<TfliteValueRecord>(v.extras)?.tensor.shape : undefined;
    declared.push({ name: v.name, dtype: v.type.dtype, shape: stored ?? (v.type.shape ?? []).map((d) => d ?? '') });
  }
  return planInputs(declared, {}, undefined, model.format === 'onnx' ? inputHints(model) : undefined);
}

/**
 * The layout for generated samples of the model's first input: its open axes at the planned sizes, so that a model
 * whose layers need a real length (a reflect Pad over time) runs on generated samples as it does when verified.
 */
export function plannedLayout(model: Model, layout: InputLayout = inputLayout(model)): InputLayout {
  const planned = plannedInputs(model).find((p) => p.name === layout.name);
  if (!planned || planned.shape.length !== layout.sampleDims.length + 1) return layout;
  return { ...layout, sampleDims: planned.shape.slice(1) };
}
