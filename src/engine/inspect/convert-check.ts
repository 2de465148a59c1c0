import type { ConversionCheck } from '../../contract/model';
import type { ModelFormat } from '../formats/model-io';
import { tensorFacts } from '../formats/tflite/convert/op-context';
import type { Model } from '../ir/model';
import { createVerifier, type Verification } from '../verify/verifier';
import { LitheError } from '../errors';

/** Largest relative error of a float output that still counts as the same result. */
export const FLOAT_TOLERANCE = 1e-4;

/** One quantization step of each output of a TFLite model (undefined for float outputs). */
export function outputSteps(tflite: Model): (number | undefined)[] {
  return tflite.graph.outputs.map((v) => tensorFacts(v).quantization?.scale[0]);
}

// Quantized outputs are compared as dequantized float32 values, whose rounding puts a whole step up
// to ~1e-5 steps off; steps are whole numbers, so this slack cannot let two steps pass.
const STEP_SLACK = 1e-3;

/** Judges a verification: float outputs within {@link FLOAT_TOLERANCE}, quantized ones within one step. */
export function judgeConversion(v: Verification, steps: readonly (number | undefined)[]): ConversionCheck {
  const outputs = v.outputs.map((o, i) => {
    const step = steps[i];
    const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
    const relative = o.mismatch ? null : finite(o.relative);
    const stepCount = !o.mismatch && step ? finite(o.maxAbs / step) : null;
    const matches = !o.mismatch && (step ? (stepCount ?? Infinity) <= 1 + STEP_SLACK : (relative ?? Infinity) <= FLOAT_TOLERANCE);
    const text = o.mismatch
      ? `${o.name}: ${o.mismatch}`
      : step
        ? `${o.name}: ${(stepCount ?? Infinity).toFixed(2)} quantization step(s) apart`
        : `${o.name}: max relative error ${o.relative.toExponential(2)}`;
    return { row: { name: o.name, relative, steps: stepCount, matches }, text };
  });
  const ok = outputs.every((o) => o.row.matches);
  const verdict = ok ? 'matches the original' : 'DIFFERS from the original';
  return {
    status: ok ? 'matches' : 'differs',
    words: `${verdict} on ${v.samples} ${v.inputs === 'data' ? 'data' : 'random'} sample(s): ${outputs.map((o) => o.text).join('; ')}`,
    samples: v.samples,
    outputs: outputs.map((o) => o.row),
  };
}

/**
 * Runs the converted model (`converted`, in `to`) in its runtime against the original (`source`, in
 * `from`) in its own, on the same seeded inputs (each sample from a fresh runtime, so recurrent
 * state starts at zero in both). When the original cannot run here the check is `not-run`, saying
 * why; when the converted model cannot run, that is an error: it must not be written.
 */
export async function checkConversion(
  source: { bytes: Uint8Array; format: ModelFormat; model: Model },
  converted: { bytes: Uint8Array; format: ModelFormat; model: Model },
  options: { dims?: Record<string, number>; file?: string } = {},
): Promise<ConversionCheck> {
  let verifier;
  try {
    verifier = await createVerifier(source.bytes, source.format, { dims: options.dims, file: options.file });
  } catch (error) {
    const why = error instanceof LitheError ? error.reason : String(error);
    return { status: 'not-run', words: `not checked: the original does not run here (${why})`, samples: 0, outputs: [] };
  }
  try {
    const tflite = converted.format === 'tflite' ? converted.model : source.model;
    return judgeConversion(await verifier.verify(converted.bytes, converted.format), outputSteps(tflite));
  } catch (error) {
    if (error instanceof LitheError)
      throw new LitheError(error.code, `the converted model does not run: ${error.reason}; nothing was written`, { file: options.file });
    throw error;
  } finally {
    await verifier.dispose();
  }
}
