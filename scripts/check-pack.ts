// Packs and unpacks every model of a folder with `.lithe` packages and checks the round trip is
// byte-identical; then shows that a truncated and a damaged package are refused with a clear message.
//   node bin/run-ts.js scripts/check-pack.ts <models dir>      (e.g. ../shared/models)
// Exits 1 when any model does not come back identical.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packModelFile, unpackModelFile } from '../src/engine/compress/package/pack-file';
import { reasonOf } from '../src/engine/errors';
import { modelsIn } from './pack-models';

const root = process.argv[2];
const models = modelsIn(root, 'check-pack <models dir>');
const work = mkdtempSync(join(tmpdir(), 'lithe-check-pack-'));
let failed = 0;
let original = 0;
let packed = 0;
let gzipped = 0;
try {
  console.log('identical  model  bytes → .lithe bytes (gzip -9 of the model)  pack ms / unpack ms');
  models.forEach((model, i) => {
    const name = relative(resolve(root as string), model);
    const pkg = join(work, `${i}.lithe`);
    const back = join(work, `${i}.model`);
    try {
      const p = packModelFile(model, pkg);
      const u = unpackModelFile(pkg, back);
      const same = readFileSync(back).equals(readFileSync(model));
      if (!same) failed++;
      const gz = gzipSync(readFileSync(model), { level: 9 }).length;
      original += p.originalBytes;
      packed += p.packageBytes;
      gzipped += gz;
      console.log(
        `${same ? 'yes' : 'NO '}  ${name}  ${p.originalBytes} → ${p.packageBytes} (${gz})  ${p.durationMs.toFixed(0)} / ${u.durationMs.toFixed(0)}`,
      );
    } catch (error) {
      failed++;
      console.log(`NO   ${name}  ${reasonOf(error)}`);
    }
    rmSync(pkg, { force: true });
    rmSync(back, { force: true });
  });
  console.log(
    `\n${models.length - failed} of ${models.length} models came back byte-identical; ` +
      `all together ${original} bytes → ${packed} bytes packed (gzip -9: ${gzipped})`,
  );

  const largest = models.reduce((a, b) => (statSync(b).size > statSync(a).size ? b : a), models[0] as string);
  const pkg = join(work, 'largest.lithe');
  packModelFile(largest, pkg);
  const bytes = readFileSync(pkg);
  const truncated = join(work, 'truncated.lithe');
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const damaged = join(work, 'damaged.lithe');
  const flipped = Buffer.from(bytes);
  const at = Math.floor(bytes.length * 0.7);
  flipped[at] = (flipped[at] as number) ^ 0x10;
  writeFileSync(damaged, flipped);
  for (const [what, file] of [
    ['truncated to half', truncated],
    [`one bit flipped at byte ${at}`, damaged],
  ] as const) {
    try {
      unpackModelFile(file, join(work, 'never.model'));
      failed++;
      console.log(`${what}: NOT refused`);
    } catch (error) {
      console.log(`${what}: refused — ${error instanceof Error ? error.message : String(error)}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
