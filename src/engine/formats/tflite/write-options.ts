import type { Builder } from 'flatbuffers';
import type { TfliteBuiltinOptions } from './tflite-model';

/**
 * Packs an options table with the generated object API, leaving out the vector fields that were
 * absent in the source file (the object API would write them as empty vectors, which changes what
 * TFLite sees, e.g. for RESHAPE's new_shape).
 */
export function writeOptions(b: Builder, options: TfliteBuiltinOptions | null): number {
  if (!options) return 0;
  if (options.absentVectors.length === 0) return options.table.pack(b);
  const keys = Object.keys(options.table);
  const skipped = new Set(options.absentVectors.map((name) => keys.indexOf(name)));
  const original = b.addFieldOffset;
  b.addFieldOffset = function (field: number, value: number, defaultValue: number): void {
    if (!skipped.has(field)) original.call(this, field, value, defaultValue);
  };
  try {
    return options.table.pack(b);
  } finally {
    b.addFieldOffset = original;
  }
}
