// Magnitude pruning: the weights of smallest absolute value are set to zero.
//   unstructured, rate s:  zero the ⌊s·n⌉ weights with the smallest |w| (ties in index order)
//   N:M along an axis:     in every group of M consecutive weights along the summed (input) axis,
//                          keep the N of largest |w| and zero the rest (2:4 is what sparse tensor cores run)

/** Zeroes the `round(sparsity · n)` weights of smallest magnitude, in place; returns how many are zero afterwards. */
export function pruneByMagnitude(values: Float32Array, sparsity: number): number {
  const n = values.length;
  const target = Math.min(n, Math.max(0, Math.round(sparsity * n)));
  if (target === 0) return countZeros(values);
  const magnitudes = Float32Array.from(values, Math.abs).sort();
  const threshold = magnitudes[target - 1] as number;
  let below = 0;
  for (let i = 0; i < n; i++) if (Math.abs(values[i] as number) < threshold) below++;
  let ties = target - below;
  for (let i = 0; i < n; i++) {
    const m = Math.abs(values[i] as number);
    if (m < threshold) values[i] = 0;
    else if (m === threshold && ties > 0) {
      values[i] = 0;
      ties--;
    }
  }
  return countZeros(values);
}

/**
 * Keeps the `keep` largest-magnitude weights in every group of `group` consecutive weights along
 * `axis` of a tensor of shape `dims` (a last, shorter group keeps proportionally as many), in place.
 * Returns how many are zero afterwards.
 */
export function pruneNofM(values: Float32Array, dims: readonly number[], axis: number, keep: number, group: number): number {
  const length = dims[axis] ?? 1;
  const stride = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = values.length / (length * stride);
  const members: number[] = [];
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < stride; i++)
      for (let start = 0; start < length; start += group) {
        members.length = 0;
        for (let j = start; j < Math.min(length, start + group); j++) members.push(o * length * stride + j * stride + i);
        const kept = Math.ceil((keep * members.length) / group);
        members.sort((a, b) => Math.abs(values[b] as number) - Math.abs(values[a] as number) || a - b);
        for (const index of members.slice(kept)) values[index] = 0;
      }
  return countZeros(values);
}

/** Number of zero weights. */
export function countZeros(values: Float32Array): number {
  let zeros = 0;
  for (const v of values) if (v === 0) zeros++;
  return zeros;
}
