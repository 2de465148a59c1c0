import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRecipe } from '../../../src/engine/recipes/resolve-recipe';

const dir = mkdtempSync(join(tmpdir(), 'lithe-recipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recipe files', () => {
  it('reads a recipe from a .json file', async () => {
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify({ name: 'mine', steps: [{ pass: 'remove-identity', options: {} }] }));
    expect((await resolveRecipe(file)).steps.map((step) => step.pass)).toEqual(['remove-identity']);
  });

  it('reads only .json files', async () => {
    await expect(resolveRecipe('/etc/passwd')).rejects.toThrow(/\/etc\/passwd: A recipe file is a \.json file\./);
  });

  it('never quotes the content of a file that is not a recipe', async () => {
    const file = join(dir, 'secret.json');
    writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\nSHELL=/bin/bash');
    const error = await resolveRecipe(file).catch((caught: Error) => caught);
    expect(String(error)).toMatch(/not valid JSON/);
    expect(String(error)).not.toMatch(/root:x|SHELL/);
    const keys = join(dir, 'keys.json');
    writeFileSync(keys, JSON.stringify({ AKIA_SECRET_KEY: 'value-secret', name: 'x', steps: 'value-secret' }));
    const keyError = await resolveRecipe(keys).catch((caught: Error) => caught);
    expect(String(keyError)).toMatch(/Not a valid recipe/);
    expect(String(keyError)).not.toMatch(/AKIA|value-secret/);
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    await expect(resolveRecipe(fifo)).rejects.toThrow(/not a regular file/);
  });
});
