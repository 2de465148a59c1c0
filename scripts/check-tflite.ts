// Checks Lithe's TFLite support on a folder of real models:
//   node bin/run-ts.js scripts/check-tflite.ts <models dir> [more dirs…]
// For every .tflite: read → write with Lithe's codec, load original and rewritten model in the TFLite
// runtime, run both on the same seeded random inputs and report whether the outputs are identical.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LitheError } from '../src/engine/errors';
import { findQuantizationProblems, fixQuantizedDimensions, readTflite, writeTflite } from '../src/engine/formats/tflite';
import { createTfliteSession, randomInput, seededRandom, type TfliteSession, type TfliteTypedArray } from '../src/engine/runtime/tflite';

const dirs = process.argv.slice(2);
if (!dirs.length) {
  console.error('usage: check-tflite <models dir> [more dirs…]  (e.g. ../shared/models/tflite)');
  process.exit(2);
}

function sameBytes(a: TfliteTypedArray, b: TfliteTypedArray): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

async function check(path: string, fix: boolean): Promise<string> {
  const name = basename(path) + (fix ? ' (quantized dimensions fixed)' : '');
  const read = readTflite(readFileSync(path), { file: name });
  const model = fix ? fixQuantizedDimensions(read).model : read;
  const bytes = fix ? writeTflite(model) : readFileSync(path);
  const rewritten = writeTflite(readTflite(bytes));
  readTflite(rewritten, { file: `${name} (rewritten)` });
  let original: TfliteSession | null = null;
  let again: TfliteSession | null = null;
  try {
    original = await createTfliteSession(bytes, { file: name });
    again = await createTfliteSession(rewritten, { file: `${name} (rewritten)` });
    const random = seededRandom(42);
    const feeds = original.inputs.map((info) => randomInput(info, random));
    const a = await original.run(feeds);
    const b = await again.run(feeds);
    const same = a.outputs.length === b.outputs.length && a.outputs.every((o, i) => sameBytes(o, b.outputs[i]));
    const io = `${original.inputs.map((i) => `${i.dtype}[${i.shape}]`).join(' ')} → ${original.outputs.map((o) => `${o.dtype}[${o.shape}]`).join(' ')}`;
    return `${same ? 'IDENTICAL' : 'DIFFERENT'}  ${name}: ${bytes.length} → ${rewritten.length} bytes, ${io}, run ${a.ms.toFixed(1)} ms`;
  } finally {
    await original?.dispose();
    await again?.dispose();
  }
}

let failures = 0;
for (const dir of dirs) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tflite') && statSync(join(dir, f)).isFile()).sort();
  for (const file of files) {
    try {
      console.log(await check(join(dir, file), false));
    } catch (error) {
      failures++;
      const message = error instanceof LitheError ? error.message : String(error);
      console.log(`NOT RUN    ${message}`);
      const problems = findQuantizationProblems(readTflite(readFileSync(join(dir, file))));
      if (problems.length) console.log(await check(join(dir, file), true).catch((e: unknown) => `NOT RUN    ${String(e)}`));
    }
  }
}
console.log(failures ? `${failures} model(s) could not be run (see the reasons above)` : 'all models round-trip with identical outputs');
