/**
 * One dimension of a shape: a number when known, a string when symbolic (e.g. `"batch"`),
 * `null` when neither its size nor a name is known.
 */
export type Dim = number | string | null;

/** A tensor shape. `undefined` where it is used means the rank itself is unknown. */
export type Shape = Dim[];

/** True when every dimension is a known number. */
export function isStaticShape(shape: readonly Dim[]): shape is number[] {
  return shape.every((d) => typeof d === 'number');
}

/** Number of elements of a static shape (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Human-readable form: `[N,3,224,224]`, with `?` for unknown dimensions. */
export function formatShape(shape: readonly Dim[] | undefined): string {
  if (!shape) return '?';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
}
