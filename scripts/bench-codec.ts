// Benchmark of the ONNX codec: generates a ~100 MB model (MatMul chain with big float32
// initializers) in a temp dir, then reads it and writes it in separate child processes, printing
// wall time and peak RSS (process.resourceUsage().maxRSS) for each direction.
// Usage: npm run bench:codec [-- --mb 100]
import { create, toBinary } from '@bufbuild/protobuf';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProtoSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import { readOnnx, writeOnnx } from '../src/engine/formats/onnx';

interface Measurement {
  ms: number;
  maxRssMB: number;
  baselineRssMB: number;
}

function generate(path: string, targetMB: number): void {
  const side = 1024;
  const layers = Math.max(1, Math.round((targetMB * 1024 * 1024) / (side * side * 4)));
  const input = create(ValueInfoProtoSchema, {
    name: 'x',
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: {
          elemType: 1,
          shape: { dim: [{ value: { case: 'dimParam', value: 'N' } }, { value: { case: 'dimValue', value: BigInt(side) } }] },
        },
      },
    }),
  });
  const output = create(ValueInfoProtoSchema, { name: `h${layers}`, type: input.type });
  const nodes = [];
  const inits = [];
  for (let i = 0; i < layers; i++) {
    const data = new Float32Array(side * side);
    for (let j = 0; j < data.length; j += 97) data[j] = ((j % 13) - 6) / 1000;
    inits.push(
      create(TensorProtoSchema, { name: `W${i}`, dataType: 1, dims: [BigInt(side), BigInt(side)], rawData: new Uint8Array(data.buffer) }),
    );
    nodes.push(
      create(NodeProtoSchema, { opType: 'MatMul', name: `mm${i}`, input: [i === 0 ? 'x' : `h${i}`, `W${i}`], output: [`h${i + 1}`] }),
    );
  }
  const model = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'lithe bench-codec',
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 13n })],
    graph: create(GraphProtoSchema, { name: 'bench', node: nodes, initializer: inits, input: [input], output: [output] }),
  });
  writeFileSync(path, toBinary(ModelProtoSchema, model));
}

function child(mode: string, path: string, targetMB: number): void {
  const baselineRssMB = process.resourceUsage().maxRSS / 1024;
  if (mode === 'generate') {
    generate(path, targetMB);
    console.log('{}');
  } else if (mode === 'read') {
    const t0 = performance.now();
    const model = readOnnx(path);
    const ms = performance.now() - t0;
    if (model.graph.initializers.length === 0) throw new Error('no initializers read');
    const m: Measurement = { ms, maxRssMB: process.resourceUsage().maxRSS / 1024, baselineRssMB };
    console.log(JSON.stringify(m));
  } else {
    const model = readOnnx(path);
    const out = `${path}.written.onnx`;
    const t0 = performance.now();
    writeOnnx(model, out);
    const ms = performance.now() - t0;
    const m: Measurement = { ms, maxRssMB: process.resourceUsage().maxRSS / 1024, baselineRssMB };
    console.log(JSON.stringify(m));
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const mbAt = args.indexOf('--mb');
  const targetMB = mbAt >= 0 ? Number(args[mbAt + 1]) : 100;
  const dir = mkdtempSync(join(tmpdir(), 'lithe-bench-'));
  try {
    const path = join(dir, 'bench.onnx');
    // Every step runs in its own child: Linux carries a process's peak RSS over to children it
    // forks, so the parent must stay small for the children's numbers to mean anything.
    const run = (mode: string): Measurement => {
      const out = execFileSync(
        process.execPath,
        [resolve('bin/run-ts.js'), fileURLToPath(import.meta.url), '--child', mode, path, String(targetMB)],
        { encoding: 'utf8' },
      );
      return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Measurement;
    };
    run('generate');
    const sizeMB = statSync(path).size / 1024 / 1024;
    const read = run('read');
    const write = run('write');
    const identical = Buffer.compare(readFileSync(path), readFileSync(`${path}.written.onnx`)) === 0;
    const budget = 2 * sizeMB + 200;
    console.log(`bench:codec — model ${sizeMB.toFixed(1)} MB (${path})`);
    const line = (name: string, m: Measurement): string => {
      const verdict = m.ms <= 1000 && m.maxRssMB <= budget ? 'within goal' : 'OVER GOAL';
      const rss = `peak RSS ${m.maxRssMB.toFixed(0)} MB (process baseline ${m.baselineRssMB.toFixed(0)} MB)`;
      return `  ${name.padEnd(6)} ${(m.ms / 1000).toFixed(3)} s   ${rss}   ${verdict}`;
    };
    console.log(line('read', read));
    console.log(line('write', write));
    console.log(
      `  goal: ≤ 1 s each direction, peak RSS ≤ 2 × size + 200 MB = ${budget.toFixed(0)} MB; written file byte-identical: ${identical}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  const [mode, path, targetMB] = process.argv.slice(childAt + 1);
  if (mode === undefined || path === undefined) throw new Error('usage: bench-codec.ts --child <generate|read|write> <model path> [MB]');
  child(mode, path, Number(targetMB));
} else main();
