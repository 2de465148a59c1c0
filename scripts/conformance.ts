// ONNX backend node-test conformance for Lithe's ONNX codec.
// Usage: npm run conformance -- <suite dir> [--jobs N] [--filter substring] [--verbose] [--rebuild]
// For each case folder (model.onnx + test_data_set_*/input_N.pb, output_N.pb): read → write with
// our codec, run original and written model in onnxruntime-node, compare both to the expected
// outputs. Cases run in a small pool of child processes (a native crash fails one case only).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { decodeOnnxTensor, encodeOnnx, readOnnx } from '../src/engine/formats/onnx';
import type { Graph } from '../src/engine/ir/graph';
import type { Model } from '../src/engine/ir/model';
import type { Tensor } from '../src/engine/ir/tensor';
import { at } from '../test/helpers/at';

const REBUILD = process.argv.includes('--rebuild');

/**
 * `--rebuild`: drop the ONNX side records (except opaque attributes) so the writer builds every
 * proto from the IR alone. Proves the IR itself carries each case's semantics, not just the
 * pass-through of original protos.
 */
function forgetOrigins(model: Model): void {
  const tensor = (t: Tensor): void => {
    t.extras = undefined;
  };
  const graph = (g: Graph): void => {
    g.extras = undefined;
    g.initializers.forEach(tensor);
    for (const n of g.nodes) {
      n.extras = undefined;
      for (const a of n.attributes) {
        if (a.value.kind !== 'opaque') a.extras = undefined;
        if (a.value.kind === 'tensor') tensor(a.value.value);
        if (a.value.kind === 'tensors') a.value.value.forEach(tensor);
        if (a.value.kind === 'graph') graph(a.value.value);
        if (a.value.kind === 'graphs') a.value.value.forEach(graph);
      }
    }
  };
  model.extras = undefined;
  graph(model.graph);
  for (const f of model.functions) {
    f.extras = undefined;
    graph(f.body);
    for (const a of f.attributeDefaults) if (a.value.kind !== 'opaque') a.extras = undefined;
  }
}

type Category =
  'passed' | 'written-mismatch' | 'codec-error' | 'runtime-unsupported' | 'runtime-mismatch' | 'harness-unsupported' | 'crashed';
/** Sent by a worker while a case runs, so a native crash can still be attributed. */
interface EarlyNote {
  name: string;
  identical: boolean;
  early: true;
  originalPassed?: boolean;
}

interface CaseResult {
  name: string;
  category: Category;
  detail?: string;
  identical?: boolean;
}

const RTOL = 1e-3;
const ATOL = 1e-5;
const ORT_TYPES = new Set([
  'float32',
  'float64',
  'float16',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
  'string',
  'int4',
  'uint4',
  'bfloat16',
]);

function toOrt(t: Tensor): ort.Tensor {
  if (!ORT_TYPES.has(t.dtype)) throw new Error(`harness: no onnxruntime tensor type for ${t.dtype}`);
  if (t.dtype === 'string')
    return new ort.Tensor(
      'string',
      t.strings().map((s) => new TextDecoder().decode(s)),
      t.dims,
    );
  const data = t.dtype === 'bool' || t.dtype === 'int4' || t.dtype === 'uint4' ? new Uint8Array(t.bytes()) : t.toTypedArray().slice();
  return new ort.Tensor(t.dtype as 'float32', data as Float32Array, t.dims);
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** bfloat16 is the upper half of a float32. */
function bfloatToFloat(b: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, b << 16);
  return view.getFloat32(0);
}

function numbers(dtype: string, data: ArrayLike<number | bigint>): number[] {
  const out = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (dtype === 'float16') out[i] = halfToFloat(Number(v));
    else if (dtype === 'bfloat16') out[i] = bfloatToFloat(Number(v));
    else out[i] = Number(v);
  }
  return out;
}

function compare(expected: Tensor, actual: ort.Tensor, label: string): string | undefined {
  const edims = expected.dims.join(',');
  const adims = actual.dims.join(',');
  if (edims !== adims) return `${label}: shape [${adims}] ≠ expected [${edims}]`;
  if (expected.dtype === 'string') {
    const e = expected.strings().map((s) => new TextDecoder().decode(s));
    const a = actual.data as string[];
    const bad = e.findIndex((x, i) => x !== a[i]);
    return bad >= 0 ? `${label}[${bad}]: '${a[bad]}' ≠ '${e[bad]}'` : undefined;
  }
  if (!ORT_TYPES.has(expected.dtype)) return `${label}: cannot compare ${expected.dtype}`;
  const exact = !['float32', 'float64', 'float16', 'bfloat16'].includes(expected.dtype);
  if (expected.dtype === 'int4' || expected.dtype === 'uint4') {
    const a = new Uint8Array(
      (actual.data as Uint8Array).buffer,
      (actual.data as Uint8Array).byteOffset,
      (actual.data as Uint8Array).byteLength,
    );
    const e = expected.bytes();
    return Buffer.compare(Buffer.from(a), Buffer.from(e)) === 0 ? undefined : `${label}: packed 4-bit data differs`;
  }
  const e = numbers(expected.dtype, expected.toTypedArray() as ArrayLike<number | bigint>);
  const a = numbers(expected.dtype, actual.data as ArrayLike<number | bigint>);
  if (exact && typeof (expected.toTypedArray() as ArrayLike<unknown>)[0] === 'bigint') {
    const eb = expected.toTypedArray() as BigInt64Array;
    const ab = actual.data as BigInt64Array;
    for (let i = 0; i < eb.length; i++) if (eb[i] !== ab[i]) return `${label}[${i}]: ${ab[i]} ≠ ${eb[i]}`;
    return undefined;
  }
  if (a.length !== e.length) return `${label}: ${a.length} values ≠ expected ${e.length}`;
  for (const [i, y] of e.entries()) {
    const x = at(a, i);
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    if (exact ? x !== y : !(x === y || Math.abs(x - y) <= ATOL + RTOL * Math.abs(y))) return `${label}[${i}]: ${x} ≠ ${y}`;
  }
  return undefined;
}

interface DataSet {
  inputs: Tensor[];
  outputs: Tensor[];
}

function loadDataSets(dir: string): DataSet[] {
  const sets: DataSet[] = [];
  for (const d of readdirSync(dir)
    .filter((x) => x.startsWith('test_data_set_'))
    .sort()) {
    const read = (prefix: string): Tensor[] => {
      const out: Tensor[] = [];
      for (let i = 0; existsSync(join(dir, d, `${prefix}_${i}.pb`)); i++) {
        const f = join(dir, d, `${prefix}_${i}.pb`);
        out.push(decodeOnnxTensor(readFileSync(f), { file: f }));
      }
      return out;
    };
    sets.push({ inputs: read('input'), outputs: read('output') });
  }
  return sets;
}

async function runAll(session: ort.InferenceSession, sets: DataSet[], outputNames: string[]): Promise<string | undefined> {
  for (const [si, set] of sets.entries()) {
    const feeds: Record<string, ort.Tensor> = {};
    session.inputNames.forEach((n, i) => {
      const input = set.inputs[i];
      if (input) feeds[n] = toOrt(input);
    });
    const results = await session.run(feeds);
    for (const [i, expected] of set.outputs.entries()) {
      const name = outputNames[i] ?? session.outputNames[i];
      if (name === undefined) return `set ${si}: expected output ${i}, the model has ${session.outputNames.length}`;
      const actual = results[name];
      if (!actual) return `set ${si}: output '${name}' missing`;
      const bad = compare(expected, actual, `set ${si} output '${name}'`);
      if (bad) return bad;
    }
  }
  return undefined;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/\n[\s\S]*/, '').slice(0, 300);

async function runCase(dir: string): Promise<CaseResult> {
  const name = dir.split('/').pop() ?? dir;
  const modelPath = join(dir, 'model.onnx');
  const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 4 };
  let written: Uint8Array | undefined;
  let codecError: string | undefined;
  let identical: boolean | undefined;
  let outputNames: string[] = [];
  try {
    const model = readOnnx(modelPath);
    outputNames = model.graph.outputs.map((o) => o.name);
    if (REBUILD) forgetOrigins(model);
    written = encodeOnnx(model);
    identical = Buffer.compare(Buffer.from(written), readFileSync(modelPath)) === 0;
    process.send?.({ name, identical, early: true }); // in case onnxruntime crashes below
    const kinds = [...model.graph.inputs, ...model.graph.outputs].map((v) => v.type?.kind ?? 'tensor');
    if (kinds.some((k) => k !== 'tensor'))
      return { name, category: 'harness-unsupported', detail: 'sequence/optional/map data', identical };
  } catch (e) {
    codecError = message(e);
  }
  let sets: DataSet[];
  try {
    sets = loadDataSets(dir);
  } catch (e) {
    return { name, category: 'harness-unsupported', detail: message(e), identical };
  }
  let original: ort.InferenceSession;
  try {
    original = await ort.InferenceSession.create(modelPath, options);
  } catch (e) {
    return { name, category: 'runtime-unsupported', detail: `load: ${message(e)}`, identical };
  }
  if (codecError || !written) return { name, category: 'codec-error', detail: codecError, identical };
  if (outputNames.length === 0) outputNames = [...original.outputNames];
  try {
    const bad = await runAll(original, sets, outputNames);
    if (bad) return { name, category: 'runtime-mismatch', detail: bad, identical };
    process.send?.({ name, identical, early: true, originalPassed: true });
  } catch (e) {
    const m = message(e);
    return { name, category: m.startsWith('harness') ? 'harness-unsupported' : 'runtime-unsupported', detail: `run: ${m}`, identical };
  } finally {
    await original.release();
  }
  try {
    const session = await ort.InferenceSession.create(written, options);
    try {
      const bad = await runAll(session, sets, outputNames);
      return bad ? { name, category: 'written-mismatch', detail: bad, identical } : { name, category: 'passed', identical };
    } finally {
      await session.release();
    }
  } catch (e) {
    return { name, category: 'written-mismatch', detail: `written model: ${message(e)}`, identical };
  }
}

async function worker(): Promise<void> {
  process.on('message', (msg: { dir?: string }) => {
    if (!msg.dir) process.exit(0);
    void runCase(msg.dir).then(
      (r) => process.send?.(r),
      (e) => process.send?.({ name: msg.dir, category: 'codec-error', detail: message(e) }),
    );
  });
  process.send?.({ ready: true });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const suite = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!suite || !existsSync(suite)) {
    console.error(
      'usage: npm run conformance -- <suite dir> [--jobs N] [--filter text] [--verbose] [--rebuild]\n(e.g. /usr/share/libonnx-testdata/data/node from Debian package libonnx-testdata)',
    );
    process.exit(2);
  }
  const arg = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const jobs = Number(arg('--jobs') ?? Math.max(1, Math.min(4, cpus().length)));
  const filter = arg('--filter');
  const verbose = args.includes('--verbose');
  const root = resolve(suite);
  const cases = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'model.onnx')) && (!filter || d.includes(filter)))
    .sort()
    .map((d) => join(root, d));
  const started = Date.now();
  const results: CaseResult[] = [];
  const early = new Map<string, EarlyNote>();
  let next = 0;
  const self = fileURLToPath(import.meta.url);
  const runTs = resolve('bin/run-ts.js');
  await new Promise<void>((done) => {
    let active = 0;
    const spawn = (): void => {
      if (next >= cases.length) {
        if (active === 0) done();
        return;
      }
      active++;
      const child: ChildProcess = fork(runTs, [self, '--worker', ...(REBUILD ? ['--rebuild'] : [])], {
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      });
      let current: string | undefined;
      let timer: NodeJS.Timeout | undefined;
      const give = (): void => {
        if (next >= cases.length) {
          current = undefined;
          child.send({});
          return;
        }
        current = cases[next++];
        child.send({ dir: current });
        timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      };
      child.on('message', (m: CaseResult | { ready: true } | EarlyNote) => {
        if ('ready' in m) return give();
        if ('early' in m) {
          early.set(m.name, m);
          return;
        }
        clearTimeout(timer);
        results.push(m);
        if (verbose || (m.category !== 'passed' && m.category !== 'runtime-unsupported')) {
          if (verbose || m.category === 'written-mismatch' || m.category === 'codec-error')
            console.log(`${m.category}: ${m.name}${m.detail ? ` — ${m.detail}` : ''}`);
        }
        if (results.length % 200 === 0) console.error(`… ${results.length}/${cases.length}`);
        give();
      });
      child.on('exit', () => {
        clearTimeout(timer);
        active--;
        if (current) {
          const name = current.split('/').pop() ?? current;
          const note = early.get(name);
          // A crash after the original model passed is a crash on our written copy: a failure.
          const r: CaseResult = note?.originalPassed
            ? {
                name,
                category: 'written-mismatch',
                detail: 'onnxruntime crashed or timed out on the written model',
                identical: note.identical,
              }
            : { name, category: 'crashed', detail: 'onnxruntime crashed or timed out on the original model', identical: note?.identical };
          results.push(r);
          console.log(`${r.category}: ${r.name} — ${r.detail}`);
        }
        spawn();
      });
    };
    for (let i = 0; i < Math.min(jobs, cases.length); i++) spawn();
    if (cases.length === 0) done();
  });
  const count = (c: Category): number => results.filter((r) => r.category === c).length;
  const categories: Category[] = [
    'passed',
    'written-mismatch',
    'codec-error',
    'runtime-unsupported',
    'runtime-mismatch',
    'harness-unsupported',
    'crashed',
  ];
  console.log(
    `\nONNX conformance${REBUILD ? ' (--rebuild: every proto rebuilt from the IR)' : ''}: ${root} (${cases.length} cases, ${((Date.now() - started) / 1000).toFixed(1)} s, ${jobs} workers)`,
  );
  for (const c of categories) console.log(`  ${c.padEnd(20)} ${count(c)}`);
  console.log(`  byte-identical after read → write: ${results.filter((r) => r.identical).length}/${cases.length}`);
  const crashedCodec = results.filter((r) => r.category === 'crashed').length;
  const failed = count('written-mismatch') + count('codec-error');
  console.log(`${count('passed')} passed, ${failed} failed`);
  if (crashedCodec) console.log(`(${crashedCodec} cases crashed or timed out in onnxruntime and are not counted)`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (process.argv.includes('--worker')) await worker();
else await main();
