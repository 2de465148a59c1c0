import { readFileSync, statSync } from 'node:fs';
import { decodeOnnx } from '../../formats/onnx/read';
import { inputHints, type InputHints } from './input-hints';

// Reading the graph for input hints costs a decode; past this size the plain input plan is used.
const HINTS_LIMIT_BYTES = 256 * 1024 * 1024;
const byBytes = new WeakMap<Uint8Array, InputHints | undefined>();
const byFile = new Map<string, { mtimeMs: number; hints: InputHints | undefined }>();

function read(bytes: Uint8Array): InputHints | undefined {
  try {
    return inputHints(decodeOnnx(bytes));
  } catch {
    return undefined;
  }
}

/** {@link inputHints} of ONNX bytes, once per buffer; undefined when they cannot be read or are too large. */
export function hintsForBytes(bytes: Uint8Array): InputHints | undefined {
  if (byBytes.has(bytes)) return byBytes.get(bytes);
  const hints = bytes.length <= HINTS_LIMIT_BYTES ? read(bytes) : undefined;
  byBytes.set(bytes, hints);
  return hints;
}

/** {@link inputHints} of an ONNX file, once per version of the file; undefined when it cannot be read. */
export function hintsForFile(path: string): InputHints | undefined {
  try {
    const { size, mtimeMs } = statSync(path);
    const known = byFile.get(path);
    if (known?.mtimeMs === mtimeMs) return known.hints;
    const hints = size <= HINTS_LIMIT_BYTES ? read(new Uint8Array(readFileSync(path))) : undefined;
    byFile.set(path, { mtimeMs, hints });
    return hints;
  } catch {
    return undefined;
  }
}
