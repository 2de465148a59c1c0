/** One line of a side-by-side table: a label and each column's value (a run, a model). */
export interface SideBySideRow {
  label: string;
  values: string[];
  /** Index of the column that does best on this line (smallest file, highest accuracy), when it can be said. */
  best?: number;
}

/** The index of the largest (or smallest) of `values` that are known; undefined when fewer than two are known or all are equal. */
export function bestOf(values: readonly (number | undefined)[], smaller: boolean): number | undefined {
  const known = values.flatMap((value, index) => (value === undefined ? [] : [{ value, index }]));
  if (known.length < 2 || known.every((entry) => entry.value === known[0]?.value)) return undefined;
  known.sort((a, b) => (smaller ? a.value - b.value : b.value - a.value));
  return known[0]?.index;
}
