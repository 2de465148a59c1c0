import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LitheError } from '../../src/engine/errors';
import { createAccessPolicy } from '../../src/server/access-policy';
import { defaultAccessPolicy } from '../../src/server/web-host';

const base = mkdtempSync(join(tmpdir(), 'lithe-policy-'));
const home = join(base, 'home');
const runs = join(base, 'runs');
const outside = join(base, 'outside');
for (const folder of [home, join(home, 'models'), join(home, '.ssh'), runs, join(runs, '.run.partial-1'), outside])
  mkdirSync(folder, { recursive: true });
writeFileSync(join(home, 'models', 'm.onnx'), 'x');
writeFileSync(join(home, '.ssh', 'id_rsa'), 'secret');
writeFileSync(join(outside, 'secret.txt'), 'secret');
symlinkSync(join(outside, 'secret.txt'), join(home, 'models', 'link.onnx'));
symlinkSync(outside, join(home, 'outside-link'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const policy = () => createAccessPolicy({ readFolders: [home, '/'], litheFolders: [runs] });

describe('access policy', () => {
  it('lets the page read files in its folders, and returns their absolute paths', () => {
    expect(policy().check(join(home, 'models', 'm.onnx'), 'read')).toBe(join(home, 'models', 'm.onnx'));
    expect(policy().allows(join(home, 'models'), 'read')).toBe(true);
    expect(policy().allows(join(runs, '.run.partial-1'), 'read')).toBe(true);
  });

  it('refuses files outside them, hidden ones, and links that lead outside', () => {
    const p = policy();
    for (const path of ['/etc/passwd', '/etc/shadow', '/proc/self/environ', join(outside, 'secret.txt')])
      expect(p.allows(path, 'read')).toBe(false);
    expect(p.allows(join(home, '.ssh', 'id_rsa'), 'read')).toBe(false);
    expect(p.allows(join(home, 'models', 'link.onnx'), 'read')).toBe(false);
    expect(p.allows(join(home, 'outside-link', 'secret.txt'), 'read')).toBe(false);
    expect(p.allows(join(home, 'models', '..', '..', 'outside', 'secret.txt'), 'read')).toBe(false);
  });

  it('never takes the whole file system as a folder', () => {
    expect(policy().allows('/usr/bin/env', 'read')).toBe(false);
  });

  it('says which file and why, in a not-allowed error', () => {
    try {
      policy().check('/etc/shadow', 'read');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LitheError);
      expect((error as LitheError).code).toBe('not-allowed');
      expect((error as LitheError).file).toBe('/etc/shadow');
      expect((error as LitheError).message).toMatch(/opens only files in/);
    }
    expect(() => policy().check(join(home, '.ssh', 'id_rsa'), 'read')).toThrow(/hidden/);
  });

  it('writes only into Lithe’s folders and the folders the user chose', () => {
    const p = policy();
    expect(p.allows(join(runs, 'new-run'), 'write')).toBe(true);
    expect(p.allows(join(home, 'models', 'out'), 'write')).toBe(false);
    expect(p.allows('/tmp/anywhere', 'write')).toBe(false);
    p.grant(join(home, 'models'));
    expect(p.allows(join(home, 'models', 'out', 'deeper'), 'write')).toBe(true);
    expect(p.places().write).toContain(join(home, 'models'));
  });

  it('keeps a session’s grants to that session; the host’s grants reach every session', () => {
    const host = policy();
    const [a, b] = [host.session(), host.session()];
    const out = join(home, 'models', 'out.onnx');
    a.grant(join(home, 'models'));
    expect(a.allows(out, 'write')).toBe(true);
    expect(b.allows(out, 'write')).toBe(false);
    expect(host.allows(out, 'write')).toBe(false);
    expect(host.session().allows(out, 'write')).toBe(false);
    expect(b.places().write).not.toContain(join(home, 'models'));
    host.grant(join(home, 'models'));
    expect(b.allows(out, 'write')).toBe(true); // live: a session made earlier sees it too
  });

  it('grants only places the page may already read', () => {
    expect(() => policy().grant(outside)).toThrow(/not allowed/);
    expect(() => policy().grant(join(home, '.ssh'))).toThrow(/hidden/);
  });

  it('reads recipes only from .json files', () => {
    writeFileSync(join(home, 'models', 'recipe.json'), '{}');
    expect(policy().allows(join(home, 'models', 'recipe.json'), 'recipe')).toBe(true);
    expect(policy().allows(join(home, 'models', 'm.onnx'), 'recipe')).toBe(false);
    expect(() => policy().check('/etc/passwd', 'recipe')).toThrow(/\.json/);
  });

  it('chosen folders are read and written, hidden entries inside them excluded', () => {
    const p = createAccessPolicy({ readFolders: [], chosenFolders: [outside], litheFolders: [runs] });
    expect(p.allows(join(outside, 'secret.txt'), 'read')).toBe(true);
    expect(p.allows(join(outside, 'new'), 'write')).toBe(true);
    expect(p.allows(join(outside, '.git', 'config'), 'read')).toBe(false);
  });

  it('by default opens a pasted path under the home folder or the folder Lithe started in, and no other', () => {
    const p = defaultAccessPolicy();
    expect(p.allows(join(homedir(), 'models', 'm.onnx'), 'read')).toBe(true);
    expect(p.allows(join(process.cwd(), 'test-results', 'm.onnx'), 'read')).toBe(true);
    expect(p.allows(join(homedir(), '.ssh', 'id_rsa'), 'read')).toBe(false);
    expect(p.allows(join(outside, 'secret.txt'), 'read')).toBe(false);
    expect(defaultAccessPolicy([outside]).allows(join(outside, 'secret.txt'), 'read')).toBe(true);
  });
});
