/** Running sums of the per-sample measures of an epoch or a validation pass. */
export class MetricSums {
  samples = 0;
  lossSum = 0;
  lossSamples = 0;
  correct = 0;
  labelled = 0;
  agreeing = 0;
  compared = 0;

  /** Adds a batch's mean loss over `count` samples. */
  addLoss(loss: number, count: number): void {
    this.lossSum += loss * count;
    this.lossSamples += count;
  }

  get loss(): number | undefined {
    return this.lossSamples ? this.lossSum / this.lossSamples : undefined;
  }

  get accuracy(): number | undefined {
    return this.labelled ? this.correct / this.labelled : undefined;
  }

  get agreement(): number | undefined {
    return this.compared ? this.agreeing / this.compared : undefined;
  }
}

/** Index of the largest of `classes` scores starting at `offset`. */
export function argmax(scores: ArrayLike<number>, offset: number, classes: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (scores[offset + c]! > scores[offset + best]!) best = c;
  return best;
}

/**
 * Adds top-1 hits of class scores [count, classes] against labels, and optionally the
 * cross-entropy (from logits, or from probabilities when the model ends in a softmax).
 */
export function scoreBatch(
  sums: MetricSums,
  scores: Float32Array,
  count: number,
  labels: ArrayLike<number> | undefined,
  options: { probabilities: boolean; withLoss: boolean },
): void {
  const classes = scores.length / count;
  for (let n = 0; n < count; n++) {
    const offset = n * classes;
    const label = labels?.[n];
    if (label === undefined) continue;
    sums.labelled++;
    if (argmax(scores, offset, classes) === label) sums.correct++;
    if (!options.withLoss) continue;
    let loss: number;
    if (options.probabilities) loss = -Math.log(Math.max(1e-12, scores[offset + label]!));
    else {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, scores[offset + c]!);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(scores[offset + c]! - max);
      loss = Math.log(sum) + max - scores[offset + label]!;
    }
    sums.addLoss(loss, 1);
  }
}

/** Adds top-1 agreement of student and teacher scores. */
export function agreeBatch(sums: MetricSums, student: Float32Array, teacher: Float32Array, count: number): void {
  const classes = student.length / count;
  for (let n = 0; n < count; n++) {
    sums.compared++;
    if (argmax(student, n * classes, classes) === argmax(teacher, n * classes, classes)) sums.agreeing++;
  }
}
