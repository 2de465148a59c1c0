// Checks Lithe's TFLite support on a folder of real models:
//   node bin/run-ts.js scripts/check-tflite.ts [--onnx] <models dir> [more dirs…]
// For every .tflite: read → write with Lithe's codec, load original and rewritten model in the TFLite
// runtime, run both on the same seeded random inputs and report whether the outputs are identical.
// With --onnx, also convert each model to ONNX and compare onnxruntime-node's outputs with TFLite's
// (float: relative error; quantized: difference in quantization steps).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LitheError } from '../src/engine/errors';
import ort from 'onnxruntime-node';
import { encodeOnnx } from '../src/engine/formats/onnx';
import {
  decodeTflite,
  describeUnconvertible,
  findQuantizationProblems,
  fixQuantizedDimensions,
  readTflite,
  tfliteToOnnx,
  writeTflite,
} from '../src/engine/formats/tflite';
import { createTfliteSession, randomInput, seededRandom, type TfliteSession, type TfliteTypedArray } from '../src/engine/runtime/tflite';
import { at } from '../test/helpers/at';

const withOnnx = process.argv.includes('--onnx');
const dirs = process.argv.slice(2).filter((a) => a !== '--onnx');
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
    const same = a.outputs.length === b.outputs.length && a.outputs.every((o, i) => sameBytes(o, at(b.outputs, i)));
    const io = `${original.inputs.map((i) => `${i.dtype}[${i.shape}]`).join(' ')} → ${original.outputs.map((o) => `${o.dtype}[${o.shape}]`).join(' ')}`;
    const line = `${same ? 'IDENTICAL' : 'DIFFERENT'}  ${name}: ${bytes.length} → ${rewritten.length} bytes, ${io}, run ${a.ms.toFixed(1)} ms`;
    return withOnnx ? `${line}\n           ONNX: ${await compareOnnx(bytes, name, original, feeds, a.outputs)}` : line;
  } finally {
    await original?.dispose();
    await again?.dispose();
  }
}

function stateTensor(dtype: string, bytes: Uint8Array, shape: number[]): ort.Tensor {
  const copy = bytes.slice();
  const data =
    dtype === 'float32'
      ? new Float32Array(copy.buffer)
      : dtype === 'int16'
        ? new Int16Array(copy.buffer)
        : dtype === 'int8'
          ? new Int8Array(copy.buffer)
          : copy;
  return new ort.Tensor(dtype as 'float32', data as Float32Array, shape);
}

async function compareOnnx(
  bytes: Uint8Array,
  name: string,
  session: TfliteSession,
  feeds: TfliteTypedArray[],
  expected: TfliteTypedArray[],
): Promise<string> {
  const { model, unconvertible, states } = tfliteToOnnx(decodeTflite(bytes, { file: name }), { exposeState: true });
  if (unconvertible.length) return `not converted: ${describeUnconvertible(unconvertible)}`;
  const onnx = await ort.InferenceSession.create(encodeOnnx(model));
  const ortFeeds: Record<string, ort.Tensor> = Object.fromEntries(
    session.inputs.map((info, i) => [
      info.name,
      new ort.Tensor(info.dtype as 'float32', at(feeds, i, 'feeds') as Float32Array, info.shape),
    ]),
  );
  for (const s of states) ortFeeds[s.input] = stateTensor(s.dtype, s.initial, s.shape);
  const got = await onnx.run(ortFeeds);
  const parts = session.outputs.map((info, i) => {
    const y = got[info.name]?.data as ArrayLike<number> | undefined;
    if (!y) return `${info.name}: missing`;
    const x = at(expected, i, 'TFLite outputs');
    let worst = 0;
    let top = 0;
    for (let k = 0; k < x.length; k++) {
      worst = Math.max(worst, Math.abs(Number(x[k]) - Number(y[k])));
      top = Math.max(top, Math.abs(Number(x[k])));
    }
    const argmax = (a: ArrayLike<number>) => Array.from(a).reduce((best, v, k, all) => (Number(v) > Number(all[best]) ? k : best), 0);
    const sameTop = argmax(x as ArrayLike<number>) === argmax(y);
    return info.quantization
      ? `${info.dtype}: max ${worst} quantization step${worst === 1 ? '' : 's'}${worst <= 1 ? ' (OK)' : ''}, same top-1: ${sameTop}`
      : `${info.dtype}: max relative error ${(worst / (top || 1)).toExponential(2)}${worst / (top || 1) <= 1e-4 ? ' (OK)' : ''}`;
  });
  return `${model.graph.nodes.length} nodes${states.length ? `, ${states.length} state input/output pairs` : ''}; ${parts.join('; ')}`;
}

let failures = 0;
for (const dir of dirs) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.tflite') && statSync(join(dir, f)).isFile())
    .sort();
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
