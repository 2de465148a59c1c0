// Checks `inspectModel` and `convertModel` on every ONNX file below a folder:
//  1. inputs/outputs, node count and parameter count agree with an independent reader (Python
//     `onnx`, via scripts/check-onnx-inspect.py; Debian package python3-onnx);
//  2. the converted model gives onnxruntime outputs identical (bit for bit) to the original's, on
//     generated inputs.
// Usage: node bin/run-ts.js scripts/check-inspect.ts [models dir] [--no-ort]  (default ../shared/models)
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { convertModel, inspectModel, type IoSummary } from '../src/engine/inspect';
import { at } from '../test/helpers/at';

function findOnnx(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findOnnx(p));
    else if (name.endsWith('.onnx')) out.push(p);
  }
  return out;
}

interface Reference {
  inputs: IoSummary[];
  outputs: IoSummary[];
  paramCount: number;
  nodeCount: number;
}

type RunResult = { ok: true; outputs: Record<string, string> } | { ok: false; error: string };

// Runs one model in onnxruntime in a plain Node child (fast start, and a native crash there cannot
// end the check). Generated inputs: free dims = 1 except a free last dim, which with integer
// scalars (other integer tensors are all 1) is tried at a few plausible values (e.g. Silero VAD wants 576 samples and sr = 16000).
// Prints {ok, outputs: name → base64 of the raw output bytes} or {ok: false, error}.
const ORT_CHILD = `
import ort from 'onnxruntime-node';
const [inputsJson, ...paths] = process.argv.slice(1);
const inputs = JSON.parse(inputsJson);
function feeds(intValue, freeDim) {
  const out = {};
  for (const inp of inputs) {
    const shape = inp.shape ?? [];
    const dims = shape.map((d, i) => (typeof d === 'number' ? d : i > 0 && i === shape.length - 1 ? freeDim : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
    const make = {
      float32: () => Float32Array.from({ length: n }, rnd),
      float64: () => Float64Array.from({ length: n }, rnd),
      int64: () => BigInt64Array.from({ length: n }, () => BigInt(dims.length === 0 ? intValue : 1)),
      int32: () => Int32Array.from({ length: n }, () => (dims.length === 0 ? intValue : 1)),
      int8: () => Int8Array.from({ length: n }, () => Math.floor(rnd() * 127)),
      uint8: () => Uint8Array.from({ length: n }, () => Math.floor((rnd() + 1) * 127)),
      bool: () => Uint8Array.from({ length: n }, () => (rnd() > 0 ? 1 : 0)),
    }[inp.dtype];
    if (!make) throw new Error('no generator for input dtype ' + inp.dtype);
    out[inp.name] = new ort.Tensor(inp.dtype, make(), dims);
  }
  return out;
}
async function run(path) {
let last = '';
for (const [intValue, freeDim] of [[1, 64], [16000, 64], [16000, 576], [1, 576]]) {
  let session;
  try {
    session = await ort.InferenceSession.create(path, { logSeverityLevel: 4 });
    const result = await session.run(feeds(intValue, freeDim));
    const outputs = {};
    for (const [k, v] of Object.entries(result)) {
      const d = v.data;
      outputs[k] = ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64') : JSON.stringify(d);
    }
    last = JSON.stringify({ ok: true, outputs });
    break;
  } catch (e) {
    last = JSON.stringify({ ok: false, error: String(e && e.message || e).split('\\n')[0] });
  } finally {
    await session?.release();
  }
}
return last;
}
const results = [];
for (const path of paths) results.push(JSON.parse(await run(path)));
// No process.exit(): it could cut off a large result still being written to the pipe.
console.log(JSON.stringify(results));
`;

/** Runs models in one onnxruntime child; `undefined` when the child crashed. */
function runInChild(paths: string[], inputs: IoSummary[]): Promise<RunResult[] | undefined> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', ORT_CHILD, JSON.stringify(inputs), ...paths],
      { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 },
      (error, stdout) => {
        done(error ? undefined : (JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as RunResult[]));
      },
    );
  });
}

/** Runs the original and the converted model (together; apart if that crashes, to tell which). */
async function runPair(original: string, converted: string, inputs: IoSummary[]): Promise<[RunResult, RunResult]> {
  const [a, b] = (await runInChild([original, converted], inputs)) ?? [];
  if (a && b) return [a, b];
  const crashed: RunResult = { ok: false, error: 'onnxruntime crashed or timed out' };
  const alone = async (path: string): Promise<RunResult> => (await runInChild([path], inputs))?.[0] ?? crashed;
  return [await alone(original), await alone(converted)];
}

function compareRuns(a: RunResult, b: RunResult, problems: string[]): string {
  if (!a.ok) {
    if (b.ok) problems.push('the original fails in onnxruntime but the converted model runs');
    return `onnxruntime cannot run either (${a.error.slice(0, 80)})`;
  }
  if (!b.ok) {
    problems.push(`converted model fails in onnxruntime: ${b.error}`);
    return 'converted fails';
  }
  const keys = Object.keys(a.outputs);
  const identical = keys.length === Object.keys(b.outputs).length && keys.every((k) => a.outputs[k] === b.outputs[k]);
  if (!identical) problems.push('converted model gives different onnxruntime outputs');
  return identical ? `ORT outputs identical (${keys.length})` : 'ORT outputs DIFFER';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const root = resolve(args.find((a) => !a.startsWith('--')) ?? '../shared/models');
  const withOrt = !args.includes('--no-ort');
  if (!existsSync(root)) {
    console.error(`models folder not found: ${root} (pass it as the first argument)`);
    process.exit(2);
  }
  const files = findOnnx(root);
  const script = resolve('scripts/check-onnx-inspect.py');
  const reference = JSON.parse(execFileSync('/usr/bin/python3', [script, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 })) as Record<
    string,
    Reference
  >;
  const tmp = mkdtempSync(join(tmpdir(), 'lithe-check-'));
  let failures = 0;
  let identical = 0;
  const checkOne = async (file: string, i: number): Promise<string> => {
    const problems: string[] = [];
    const s = inspectModel(file);
    const ref = reference[file];
    if (!ref) throw new Error(`check-onnx-inspect.py gave no reference for ${file}`);
    const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
    if (s.paramCount !== ref.paramCount) problems.push(`paramCount ${s.paramCount} ≠ reference ${ref.paramCount}`);
    if (s.nodeCount !== ref.nodeCount) problems.push(`nodeCount ${s.nodeCount} ≠ reference ${ref.nodeCount}`);
    if (!same(s.inputs, ref.inputs)) problems.push(`inputs ${JSON.stringify(s.inputs)} ≠ reference ${JSON.stringify(ref.inputs)}`);
    if (!same(s.outputs, ref.outputs)) problems.push(`outputs ${JSON.stringify(s.outputs)} ≠ reference ${JSON.stringify(ref.outputs)}`);
    const out = join(tmp, `converted-${i}.onnx`);
    await convertModel(file, out);
    const verdict = withOrt ? compareRuns(...(await runPair(file, out, s.inputs)), problems) : 'onnxruntime not run';
    if (verdict.startsWith('ORT outputs identical')) identical++;
    rmSync(out, { force: true });
    if (problems.length) failures++;
    return [
      `${problems.length ? 'FAIL' : 'ok  '} ${file.slice(root.length + 1)} — params ${s.paramCount}, ${s.inputs.length} in / ${s.outputs.length} out, ${verdict}`,
      ...problems.map((p) => `       ${p}`),
    ].join('\n');
  };
  try {
    let next = 0;
    const lines: string[] = new Array<string>(files.length);
    let printed = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const i = next++;
        lines[i] = await checkOne(at(files, i, 'ONNX files'), i);
        while (printed < files.length && lines[printed] !== undefined) console.log(lines[printed++]);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, cpus().length) }, worker));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const version = execFileSync('/usr/bin/python3', ['-c', 'import onnx; print(onnx.__version__)'], { encoding: 'utf8' }).trim();
  console.log(
    `${files.length - failures} ok, ${failures} failed (${files.length} ONNX files checked against python onnx ${version}; converted model ran with identical onnxruntime outputs for ${identical})`,
  );
  process.exitCode = failures ? 1 : 0;
}

await main();
