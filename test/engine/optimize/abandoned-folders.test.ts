import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ownedFolderName, removeAbandonedFolders } from '../../../src/engine/optimize/abandoned-folders';

const dir = mkdtempSync(join(tmpdir(), 'lithe-abandoned-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('half-written run folders', () => {
  it('are removed at once when the process that wrote them is gone, and kept while it runs', async () => {
    // A pid that has just ended: a child process that exited.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const mine = ownedFolderName('run', 'partial');
    const dead = mine.replace(`-${process.pid}-`, `-${gone}-`);
    const notOurs = '.run.partial-cafe';
    for (const name of [mine, dead, notOurs, 'run']) mkdirSync(join(dir, name));
    await removeAbandonedFolders(dir);
    expect(existsSync(join(dir, dead))).toBe(false);
    expect(existsSync(join(dir, mine))).toBe(true);
    expect(existsSync(join(dir, notOurs))).toBe(true);
    expect(existsSync(join(dir, 'run'))).toBe(true);
  });

  it('put back an earlier run whose replacement was killed between its two renames', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const dead = (name: string): string => ownedFolderName(name, 'old').replace(`-${process.pid}-`, `-${gone}-`);
    // `earlier`'s target is missing: it is the user's only copy. `done`'s replacement is in place.
    const [earlier, done] = [dead('earlier'), dead('done')];
    mkdirSync(join(dir, earlier));
    writeFileSync(join(dir, earlier, 'report.json'), 'the earlier run');
    mkdirSync(join(dir, 'done'));
    mkdirSync(join(dir, done));
    await removeAbandonedFolders(dir);
    expect(readFileSync(join(dir, 'earlier', 'report.json'), 'utf8')).toBe('the earlier run');
    expect(existsSync(join(dir, earlier))).toBe(false);
    expect(existsSync(join(dir, done))).toBe(false);
    expect(existsSync(join(dir, 'done'))).toBe(true);
  });
});
