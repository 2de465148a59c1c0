import type { TfliteModel, TfliteTensor } from './tflite-model';

/** A tensor whose quantization parameters full TFLite refuses. */
export interface TfliteQuantizationProblem {
  subgraph: number;
  tensor: number;
  name: string;
  shape: number[];
  quantizedDimension: number;
  scales: number;
  /** The dimension the parameters most likely belong to, when there is exactly one candidate. */
  fixDimension: number | null;
}

/** Whether one tensor's per-channel quantization names a dimension it lacks, and which one fits (null when none or several do). */
export function tensorQuantizationProblem(
  t: TfliteTensor,
): { quantizedDimension: number; scales: number; fixDimension: number | null } | null {
  const q = t.quantization;
  return q ? quantizationAxisProblem(t.shape ?? [], q.scale?.length ?? 0, q.quantizedDimension) : null;
}

/** Whether `scales` per-channel parameters along `axis` fit a tensor of `shape`, and which single axis would (null when none or several do). */
export function quantizationAxisProblem(
  shape: readonly number[],
  scales: number,
  axis: number,
): { quantizedDimension: number; scales: number; fixDimension: number | null } | null {
  if (scales <= 1) return null;
  if (axis < shape.length && shape[axis] === scales) return null;
  const [only, ...others] = shape.map((d, i) => (d === scales ? i : -1)).filter((i) => i >= 0);
  return { quantizedDimension: axis, scales, fixDimension: others.length === 0 ? (only ?? null) : null };
}

/**
 * Finds per-channel quantization whose `quantized_dimension` is not a dimension of the tensor with
 * one scale per entry. TFLite Micro ignores this; full TFLite refuses to load the model
 * (e.g. tflite-micro's person_detect: 1-D biases quantized along dimension 3).
 */
export function findQuantizationProblems(model: TfliteModel): TfliteQuantizationProblem[] {
  const out: TfliteQuantizationProblem[] = [];
  model.subgraphs.forEach((g, gi) =>
    g.tensors.forEach((t, ti) => {
      const problem = tensorQuantizationProblem(t);
      if (!problem) return;
      out.push({
        subgraph: gi,
        tensor: ti,
        name: t.name ?? '',
        shape: t.shape ?? [],
        ...problem,
      });
    }),
  );
  return out;
}

/** One-sentence summary of quantization problems, for error messages and reports. */
export function describeQuantizationProblems(problems: TfliteQuantizationProblem[]): string {
  const first = problems[0];
  if (!first) return 'no tensor has per-channel quantization along a dimension it lacks';
  const more = problems.length > 1 ? ` and ${problems.length - 1} more tensor${problems.length > 2 ? 's' : ''}` : '';
  return (
    `tensor ${first.tensor} ("${first.name}", shape [${first.shape.join(', ')}])${more} ` +
    `${problems.length > 1 ? 'are' : 'is'} quantized per channel along dimension ${first.quantizedDimension}, ` +
    `which ${first.shape.length <= first.quantizedDimension ? 'the tensor does not have' : `does not have ${first.scales} entries`}. ` +
    'TFLite Micro accepts this, full TFLite refuses it'
  );
}

/**
 * Returns a copy of the model where each problem with a single candidate dimension gets that
 * dimension as its `quantized_dimension`; scales and data are unchanged. `fixed` counts the tensors changed.
 */
export function fixQuantizedDimensions(model: TfliteModel): { model: TfliteModel; fixed: number } {
  let fixed = 0;
  const subgraphs = model.subgraphs.map((g) => ({
    ...g,
    tensors: g.tensors.map((t) => {
      const problem = tensorQuantizationProblem(t);
      if (!problem || problem.fixDimension === null || !t.quantization) return t;
      fixed++;
      return { ...t, quantization: { ...t.quantization, quantizedDimension: problem.fixDimension } };
    }),
  }));
  return { model: { ...model, subgraphs }, fixed };
}
