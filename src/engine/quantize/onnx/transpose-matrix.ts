/** Transposes a row-major [rows, cols] matrix into a new [cols, rows] one. */
export function transposeMatrix(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (const [i, value] of data.entries()) out[(i % cols) * rows + Math.floor(i / cols)] = value;
  return out;
}
