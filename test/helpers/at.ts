// Checked element access for tests and scripts: a missing element fails with a message that says which one,
// instead of an `undefined` that surfaces later as an unrelated TypeError.

/** The element at `index` of `list`; throws "no element 3 (length 2)" when there is none. */
export function at<L extends ArrayLike<unknown>>(list: L, index: number, what = 'list'): L[number] {
  if (!Number.isInteger(index) || index < 0 || index >= list.length) {
    throw new Error(`${what}: no element ${index} (length ${list.length})`);
  }
  return list[index];
}

/** The value stored under `key`; throws naming the key and the keys there are when it is missing. */
export function entry<T>(record: Readonly<Record<string, T>>, key: string, what = 'record'): T {
  const value = record[key];
  if (value === undefined) throw new Error(`${what}: no entry "${key}" (has ${Object.keys(record).join(', ') || 'none'})`);
  return value;
}

/** `value` when it is neither undefined nor null; throws "<what> is missing" otherwise. */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`${what} is missing`);
  return value;
}
