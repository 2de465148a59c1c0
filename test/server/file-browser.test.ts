import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError, MAX_FOLDER_ENTRIES } from '../../src/contract';
import { createEngineService } from '../../src/engine/service';
import { createAccessPolicy } from '../../src/server/access-policy';
import { createFileBrowser, withFileRpcs } from '../../src/server/file-browser';

const base = mkdtempSync(join(tmpdir(), 'lithe-browser-'));
const home = join(base, 'home');
const runs = join(base, 'runs');
const workspace = join(base, 'workspace');
const outside = join(base, 'outside');
const many = join(home, 'many');
for (const folder of [home, join(home, 'models'), join(home, '.cache'), runs, workspace, outside, join(outside, 'inner'), many])
  mkdirSync(folder, { recursive: true });
writeFileSync(join(home, 'models', 'detector.onnx'), 'x'.repeat(123));
writeFileSync(join(home, 'models', 'notes.txt'), 'n');
writeFileSync(join(home, 'models', 'hand.TFLITE'), 'y');
writeFileSync(join(home, 'models', '.hidden.onnx'), 'h');
writeFileSync(join(outside, 'secret.onnx'), 's');
symlinkSync(outside, join(home, 'outside-link'));
symlinkSync(join(outside, 'secret.onnx'), join(home, 'models', 'link.onnx'));
symlinkSync(join(base, 'nowhere'), join(home, 'models', 'broken.onnx'));
for (let i = 0; i < MAX_FOLDER_ENTRIES + 5; i++) writeFileSync(join(many, `f${i}.bin`), '');
afterAll(() => rmSync(base, { recursive: true, force: true }));

function browser() {
  const policy = createAccessPolicy({ readFolders: [home], litheFolders: [runs, workspace] });
  return { policy, browser: createFileBrowser(policy, { home, start: home, runs, workspace }) };
}

async function refusal(promise: Promise<unknown>): Promise<LitheLike> {
  try {
    await promise;
  } catch (error) {
    return error as LitheLike;
  }
  throw new Error('expected a refusal');
}
interface LitheLike {
  code: string;
  message: string;
  file?: string;
}

describe('file browser (web host)', () => {
  it('lists a folder: folders first, sizes, models by extension, hidden entries left out', async () => {
    const listing = await browser().browser.list({ path: join(home, 'models'), showHidden: false });
    expect(listing.path).toBe(join(home, 'models'));
    expect(listing.parent).toBe(home);
    const names = listing.entries.map((entry) => entry.name);
    expect(names).toEqual(['detector.onnx', 'hand.TFLITE', 'link.onnx', 'notes.txt']);
    const detector = listing.entries.find((entry) => entry.name === 'detector.onnx');
    expect(detector).toMatchObject({ kind: 'file', sizeBytes: 123, model: true, allowed: true });
    expect(listing.entries.find((entry) => entry.name === 'notes.txt')?.model).toBe(false);
    expect(listing.entries.find((entry) => entry.name === 'hand.TFLITE')?.model).toBe(true);
    // A link that leads outside is listed as what it is, but the page may not open it.
    expect(listing.entries.find((entry) => entry.name === 'link.onnx')?.allowed).toBe(false);
  });

  it('shows hidden entries only when asked, and still does not allow opening them', async () => {
    const listing = await browser().browser.list({ path: join(home, 'models'), showHidden: true });
    expect(listing.entries.find((entry) => entry.name === '.hidden.onnx')).toMatchObject({ allowed: false });
  });

  it('refuses a folder outside home that was not chosen, `..` that leads out, and links out', async () => {
    const { browser: files } = browser();
    for (const path of [
      outside,
      '/etc',
      join(home, '..', 'outside'),
      join(home, 'models', '..', '..', 'outside'),
      join(home, 'outside-link'),
    ]) {
      const error = await refusal(files.list({ path, showHidden: false }));
      expect(error.code, path).toBe('not-allowed');
    }
    expect((await refusal(files.list({ path: join(home, 'outside-link', 'inner'), showHidden: false }))).code).toBe('not-allowed');
    expect((await refusal(files.list({ path: join(home, '.cache'), showHidden: false }))).message).toMatch(/hidden/);
  });

  it('has no parent above home (the page may not list /)', async () => {
    expect((await browser().browser.list({ path: home, showHidden: false })).parent).toBeNull();
  });

  it('lists at most MAX_FOLDER_ENTRIES and says how many it left out', async () => {
    const listing = await browser().browser.list({ path: many, showHidden: false });
    expect(listing.entries).toHaveLength(MAX_FOLDER_ENTRIES);
    expect(listing.leftOut).toBe(5);
  });

  it('says that a file is not a folder, and that a missing folder does not exist', async () => {
    const { browser: files } = browser();
    expect((await refusal(files.list({ path: join(home, 'models', 'detector.onnx'), showHidden: false }))).message).toMatch(/not a folder/);
    expect((await refusal(files.list({ path: join(home, 'gone'), showHidden: false }))).code).toBe('not-found');
  });

  it('grants a chosen folder through the access policy: it may then be written', async () => {
    const { browser: files, policy } = browser();
    expect(policy.allows(join(home, 'models', 'out.onnx'), 'write')).toBe(false);
    expect(await files.choose(join(home, 'models'))).toEqual({ path: join(home, 'models'), kind: 'folder' });
    expect(policy.allows(join(home, 'models', 'out.onnx'), 'write')).toBe(true);
    expect(files.places().places).toContainEqual({ path: join(home, 'models'), label: 'models', kind: 'chosen' });
    expect((await refusal(files.choose(join(outside, 'secret.onnx')))).code).toBe('not-allowed');
  });

  it('names home and Lithe’s folders among its places', () => {
    const { places } = browser().browser.places();
    expect(places[0]).toEqual({ path: home, label: 'Home', kind: 'home' });
    expect(places.map((place) => place.label)).toEqual(expect.arrayContaining(['Lithe runs', 'Lithe workspace (uploads)']));
  });
});

describe('file RPCs on the engine service', () => {
  const { browser: files } = browser();
  const service = withFileRpcs(createEngineService({ host: 'web' }), files);
  afterAll(() => service.close());

  it('validates arguments at the boundary', async () => {
    for (const args of [{}, { path: 'models' }, { path: home, extra: 1 }, { path: 42 }, null]) {
      const error = await refusal(service.invoke('files.list', args));
      expect(error).toBeInstanceOf(CommandError);
      expect(error.code).toBe('invalid-argument');
    }
    expect((await refusal(service.invoke('files.places', { x: 1 }))).code).toBe('invalid-argument');
  });

  it('answers with the listing, and a refusal as a CommandError naming the file', async () => {
    const listing = (await service.invoke('files.list', { path: join(home, 'models') })) as { entries: unknown[] };
    expect(listing.entries.length).toBe(4);
    const error = await refusal(service.invoke('files.list', { path: outside }));
    expect(error).toBeInstanceOf(CommandError);
    expect(error.file).toBe(outside);
  });

  it('passes every other command on to the engine', async () => {
    expect(await service.invoke('app.info', {})).toMatchObject({ host: 'web' });
  });
});
