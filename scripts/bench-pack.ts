// Times `lithe pack` and `lithe unpack` (engine functions, real files) on the largest model of a
// folder, or on one model file, and prints the median of several runs.
//   npm run bench:pack -- <models dir | model file> [--runs 5]      (e.g. ../shared/models)
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { packModelFile, unpackModelFile } from '../src/engine/compress/package/pack-file';
import { modelsIn } from './pack-models';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const target = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
const model =
  target && existsSync(target) && statSync(target).isFile()
    ? resolve(target)
    : modelsIn(target, 'bench:pack -- <models dir | model file> [--runs N]').reduce((a, b) =>
        statSync(b).size > statSync(a).size ? b : a,
      );
const work = mkdtempSync(join(tmpdir(), 'lithe-bench-pack-'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
try {
  const pack: number[] = [];
  const unpack: number[] = [];
  let packageBytes = 0;
  for (let i = 0; i < runs; i++) {
    const pkg = join(work, `${i}.lithe`);
    const back = join(work, `${i}.model`);
    let t = performance.now();
    packageBytes = packModelFile(model, pkg).packageBytes;
    pack.push(performance.now() - t);
    t = performance.now();
    unpackModelFile(pkg, back);
    unpack.push(performance.now() - t);
    if (!readFileSync(back).equals(readFileSync(model))) throw new Error('the round trip was not identical');
    rmSync(pkg);
    rmSync(back);
  }
  const size = statSync(model).size;
  console.log(`model     ${model} (${size} bytes)`);
  console.log(`package   ${packageBytes} bytes (${((100 * packageBytes) / size).toFixed(1)} % of the model)`);
  console.log(`pack      ${median(pack).toFixed(0)} ms median of ${runs} (${pack.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`unpack    ${median(unpack).toFixed(0)} ms median of ${runs} (${unpack.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(
    `machine   ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()[0]?.toFixed(2)} (numbers taken under load are noisy)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
