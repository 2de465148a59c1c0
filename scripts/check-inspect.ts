// Checks `inspectModel` and `convertModel` on every ONNX file below a folder:
//  1. inputs/outputs and parameter count agree with an independent reader (Python `onnx`, via
//     scripts/check-onnx-inspect.py; Debian package python3-onnx);
//  2. the converted model gives onnxruntime outputs identical (bit for bit) to the original's.
// Usage: node bin/run-ts.js scripts/check-inspect.ts [models dir]  (default ../shared/models)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { convertModel, inspectModel, type IoSummary } from '../src/engine/inspect';

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

function feeds(inputs: IoSummary[], intValue: number, freeDim: number): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const inp of inputs) {
    const shape = inp.shape ?? [];
    const dims = shape.map((d, i) => (typeof d === 'number' ? d : i > 0 && i === shape.length - 1 ? freeDim : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
    switch (inp.dtype) {
      case 'float32':
        out[inp.name] = new ort.Tensor('float32', Float32Array.from({ length: n }, rnd), dims);
        break;
      case 'int64':
        out[inp.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, () => BigInt(intValue)), dims);
        break;
      case 'int32':
        out[inp.name] = new ort.Tensor('int32', Int32Array.from({ length: n }, () => intValue), dims);
        break;
      case 'uint8':
        out[inp.name] = new ort.Tensor('uint8', Uint8Array.from({ length: n }, () => Math.floor((rnd() + 1) * 127)), dims);
        break;
      default:
        throw new Error(`no generator for input dtype ${inp.dtype}`);
    }
  }
  return out;
}

async function runModel(path: string, inputs: IoSummary[]): Promise<{ ok: true; outputs: Record<string, Uint8Array> } | { ok: false; error: string }> {
  let lastError = '';
  // Generated inputs: free dims = 1, except a free last dim and integer scalars from a few
  // plausible values (e.g. Silero VAD wants 576 samples and sr = 16000).
  for (const [intValue, freeDim] of [[1, 64], [16000, 64], [16000, 576], [1, 576]]) {
    let session: ort.InferenceSession | undefined;
    try {
      session = await ort.InferenceSession.create(path, { logSeverityLevel: 4 });
      const result = await session.run(feeds(inputs, intValue, freeDim));
      const outputs: Record<string, Uint8Array> = {};
      for (const [k, v] of Object.entries(result)) {
        const d = v.data;
        outputs[k] = ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice() : Buffer.from(JSON.stringify(d));
      }
      return { ok: true, outputs };
    } catch (e) {
      lastError = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    } finally {
      await session?.release();
    }
  }
  return { ok: false, error: lastError };
}

async function main(): Promise<void> {
  const root = resolve(process.argv[2] ?? '../shared/models');
  if (!existsSync(root)) {
    console.error(`models folder not found: ${root} (pass it as the first argument)`);
    process.exit(2);
  }
  const files = findOnnx(root);
  const script = resolve('scripts/check-onnx-inspect.py');
  const reference = JSON.parse(execFileSync('/usr/bin/python3', [script, ...files], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Record<string, Reference>;
  const tmp = mkdtempSync(join(tmpdir(), 'lithe-check-'));
  let failures = 0;
  try {
    for (const [i, file] of files.entries()) {
      const problems: string[] = [];
      const s = inspectModel(file);
      const ref = reference[file];
      const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
      if (s.paramCount !== ref.paramCount) problems.push(`paramCount ${s.paramCount} ≠ reference ${ref.paramCount}`);
      if (s.nodeCount !== ref.nodeCount) problems.push(`nodeCount ${s.nodeCount} ≠ reference ${ref.nodeCount}`);
      if (!same(s.inputs, ref.inputs)) problems.push(`inputs ${JSON.stringify(s.inputs)} ≠ reference ${JSON.stringify(ref.inputs)}`);
      if (!same(s.outputs, ref.outputs)) problems.push(`outputs ${JSON.stringify(s.outputs)} ≠ reference ${JSON.stringify(ref.outputs)}`);
      const out = join(tmp, `converted-${i}.onnx`);
      convertModel(file, out);
      const a = await runModel(file, s.inputs);
      const b = await runModel(out, s.inputs);
      let ortVerdict: string;
      if (!a.ok) {
        ortVerdict = b.ok ? 'original fails in onnxruntime but the converted model runs' : `onnxruntime cannot run either (${a.error.slice(0, 80)})`;
        if (b.ok) problems.push(ortVerdict);
      } else if (!b.ok) {
        problems.push(`converted model fails in onnxruntime: ${b.error}`);
        ortVerdict = 'converted fails';
      } else {
        const keys = Object.keys(a.outputs);
        const identical = keys.length === Object.keys(b.outputs).length && keys.every((k) => b.outputs[k] && Buffer.compare(Buffer.from(a.outputs[k]), Buffer.from(b.outputs[k])) === 0);
        ortVerdict = identical ? `ORT outputs identical (${keys.length})` : 'ORT outputs DIFFER';
        if (!identical) problems.push('converted model gives different onnxruntime outputs');
      }
      const status = problems.length === 0 ? 'ok  ' : 'FAIL';
      if (problems.length) failures++;
      console.log(`${status} ${file.slice(root.length + 1)} — params ${s.paramCount}, ${s.inputs.length} in / ${s.outputs.length} out, ${ortVerdict}`);
      for (const p of problems) console.log(`       ${p}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${files.length - failures} ok, ${failures} failed (${files.length} ONNX files checked against python onnx ${execFileSync('/usr/bin/python3', ['-c', 'import onnx; print(onnx.__version__)'], { encoding: 'utf8' }).trim()})`);
  process.exitCode = failures ? 1 : 0;
}

await main();
