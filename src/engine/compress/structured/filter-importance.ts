// How much each output channel (filter) of a layer matters, to keep the most important ones.
//
//   l1:                score_c = Σ |w_c,i|
//   l2:                score_c = √(Σ w_c,i²)
//   geometric-median:  score_c = Σ_d ‖w_c − w_d‖₂  — filters near the middle of all filters are the
//                      ones the others can stand in for, so they score lowest (He et al., CVPR 2019)

/** Criteria for ranking filters. */
export const FILTER_CRITERIA = ['l1', 'l2', 'geometric-median'] as const;
export type FilterCriterion = (typeof FILTER_CRITERIA)[number];

/** The weights of each channel along `axis` of a tensor of shape `dims`, as one vector per channel. */
export function filtersAlong(values: Float32Array, dims: readonly number[], axis: number): Float32Array[] {
  const channels = dims[axis] ?? 1;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = values.length / (channels * inner);
  const filters = Array.from({ length: channels }, () => new Float32Array(outer * inner));
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < channels; c++)
      (filters[c] as Float32Array).set(values.subarray((o * channels + c) * inner, (o * channels + c + 1) * inner), o * inner);
  return filters;
}

/** One score per filter: higher means more important. */
export function filterScores(filters: readonly Float32Array[], criterion: FilterCriterion): Float64Array {
  if (criterion === 'geometric-median') {
    const scores = new Float64Array(filters.length);
    filters.forEach((a, c) => {
      for (let d = c + 1; d < filters.length; d++) {
        const b = filters[d] as Float32Array;
        let sum = 0;
        for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
        const distance = Math.sqrt(sum);
        scores[c] = (scores[c] as number) + distance;
        scores[d] = (scores[d] as number) + distance;
      }
    });
    return scores;
  }
  return Float64Array.from(filters, (f) => {
    let sum = 0;
    for (const v of f) sum += criterion === 'l1' ? Math.abs(v) : v * v;
    return criterion === 'l1' ? sum : Math.sqrt(sum);
  });
}

/** The `count` channels of highest score, in channel order. */
export function channelsToKeep(scores: Float64Array, count: number): number[] {
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  return order.slice(0, count).sort((a, b) => a - b);
}
