// When the runtime here refuses an original model, a check of its conversion can still run against a stand-in:
// the original with only what keeps it from loading changed, each change said in words. What is changed:
//   TFLite: per-channel quantization along a dimension the tensor lacks (TFLite Micro's 1-D biases) → the one
//           dimension that fits; MediaPipe's Convolution2DTransposeBias → TRANSPOSE_CONV with its bias; open
//           input dimensions stored as 1 → the representative sizes Lithe runs open dimensions at.
//   ONNX:   an operator set older than onnxruntime implements → opset 13 (Lithe's upgrade step).
// A stand-in is a second-best reference: it checks the conversion, not the change itself.
import { planInputs } from '../runtime/onnx/input-plan';
import { upgradeOpset } from '../passes/upgrade-opset';
import { decodeOnnx, encodeOnnx } from './onnx';
import { fixQuantizedDimensions, readTflite, writeTflite } from './tflite';
import { lowerCustomOps } from './tflite/convert/lower-custom-ops';
import type { TfliteModel } from './tflite/tflite-model';

/** A runnable stand-in for an original model. */
export interface StandIn {
  bytes: Uint8Array;
  /** What differs from the original, one phrase each. */
  changes: string[];
}

function openInputsAtRepresentativeSizes(model: TfliteModel): { model: TfliteModel; changes: string[] } {
  const changes: string[] = [];
  const subgraphs = model.subgraphs.map((graph, g) => {
    if (g !== 0) return graph;
    const tensors = [...graph.tensors];
    for (const index of graph.inputs) {
      const t = tensors[index];
      const [stored, signature] = [t?.shape ?? [], t?.shapeSignature];
      if (!t || !signature || signature.length !== stored.length || !signature.some((d) => d < 0)) continue;
      const name = t.name ?? `input ${index}`;
      const [plan] = planInputs([{ name, dtype: 'float32', shape: signature.map((d) => (d < 0 ? '' : d)) }]);
      if (!plan || plan.shape.every((d, i) => d === stored[i])) continue;
      tensors[index] = { ...t, shape: plan.shape };
      changes.push(
        `input ${name} at [${plan.shape.join(', ')}] (stored [${stored.join(', ')}]; its open dimensions at representative sizes)`,
      );
    }
    return { ...graph, tensors };
  });
  return { model: { ...model, subgraphs }, changes };
}

function tfliteStandIn(bytes: Uint8Array): StandIn | undefined {
  const fixed = fixQuantizedDimensions(readTflite(bytes));
  const changes: string[] = [];
  if (fixed.fixed)
    changes.push(`${fixed.fixed} tensor(s) quantized per channel along the one dimension they have (as TFLite Micro reads them)`);
  const lowered = lowerCustomOps(fixed.model);
  for (const op of lowered.lowered) changes.push(`custom ${op} run as TFLite's TRANSPOSE_CONV with its bias`);
  const sized = openInputsAtRepresentativeSizes(lowered.model);
  changes.push(...sized.changes);
  return changes.length ? { bytes: writeTflite(sized.model), changes } : undefined;
}

async function onnxStandIn(bytes: Uint8Array): Promise<StandIn | undefined> {
  const model = decodeOnnx(bytes);
  const from = model.opsetVersion('');
  if (from === undefined || from >= 7) return undefined;
  await upgradeOpset.run(model, { target: 13 }, {});
  return { bytes: encodeOnnx(model), changes: [`upgraded from opset ${from} to 13 by Lithe's upgrade step`] };
}

/** A stand-in for `bytes` (an original in `format`) with what keeps it from running here changed; undefined when nothing applies. */
export async function standInReference(bytes: Uint8Array, format: 'onnx' | 'tflite'): Promise<StandIn | undefined> {
  return format === 'tflite' ? tfliteStandIn(bytes) : onnxStandIn(bytes);
}
