import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { minimatch } from 'minimatch';

// The packaging config cannot be built here (no Electron download); check what can be checked:
// the config loads and validates, and each platform ships only its own onnxruntime binaries.

type FileSet = string | { filter?: string[] };
interface BuilderConfig {
  afterPack?: string;
  files?: FileSet[];
  linux?: { target?: unknown; files?: FileSet[] };
  win?: { target?: unknown; files?: FileSet[] };
  mac?: { target?: unknown; files?: FileSet[] };
}

const root = join(import.meta.dirname, '..');

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js')) as unknown as {
    getConfig: (dir: string, path: null, options: null) => Promise<BuilderConfig>;
    validateConfiguration: (config: BuilderConfig, logger: { isEnabled: boolean; add: () => void }) => Promise<void>;
  };
  const config = await getConfig(root, null, null);
  await validateConfiguration(config, { isEnabled: false, add: () => undefined });
  return config;
}

const ortBinaries = readdirSync(join(root, 'node_modules/onnxruntime-node/bin'), { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.(node|so\.\d+|dll|dylib)$/.test(file))
  .map((file) => `node_modules/onnxruntime-node/bin/${file}`);

function patternsOf(sets: FileSet[]): string[] {
  return sets.flatMap((set) => (typeof set === 'string' ? [set] : (set.filter ?? [])));
}

/** electron-builder's rule: the last pattern that matches a path decides whether it is shipped. */
function shipped(patterns: string[], path: string): boolean {
  let included = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (minimatch(path, negated ? pattern.slice(1) : pattern, { dot: true })) included = !negated;
  }
  return included;
}

const platforms = [
  { key: 'linux', os: 'linux', targets: ['AppImage', 'deb'], archs: ['x64', 'arm64'] },
  { key: 'win', os: 'win32', targets: ['nsis'], archs: ['x64', 'arm64'] },
  { key: 'mac', os: 'darwin', targets: [{ target: 'dmg', arch: ['arm64'] }], archs: ['arm64'] },
] as const;

describe('electron-builder config', () => {
  it('loads and validates', async () => {
    await expect(loadConfig()).resolves.toBeTruthy();
  });

  for (const platform of platforms) {
    it(`${platform.key}: builds ${JSON.stringify(platform.targets)} and ships only ${platform.os} onnxruntime binaries`, async () => {
      const config = await loadConfig();
      const section = config[platform.key];
      expect(section?.target).toEqual(platform.targets);
      for (const arch of platform.archs) {
        const patterns = patternsOf([...(config.files ?? []), ...(section?.files ?? [])]).map((pattern) =>
          pattern.replaceAll('${arch}', arch),
        );
        const kept = ortBinaries.filter((file) => shipped(patterns, file));
        expect(kept.length).toBeGreaterThan(0);
        expect(kept.every((file) => file.includes(`/${platform.os}/${arch}/`))).toBe(true);
      }
    });
  }

  it('ships the built app', async () => {
    const config = await loadConfig();
    const patterns = patternsOf(config.files ?? []);
    expect(shipped(patterns, 'out/main/index.js')).toBe(true);
    expect(shipped(patterns, 'out/renderer/index.html')).toBe(true);
    expect(shipped(patterns, 'src/engine/ir/graph.ts')).toBe(false);
  });
});

interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { executableName: string; appInfo: { productFilename: string } };
}
interface AfterPackModule {
  afterPack(context: PackContext): Promise<void>;
  electronBinaryOf(context: PackContext): string;
}

// The fuse wire as Electron lays it out in its binary: a sentinel, the wire's version and length, one byte per fuse.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's defaults: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on, the rest off.
const ELECTRON_DEFAULT_WIRE = '10110001';

describe('Electron fuses at packaging', () => {
  it('the afterPack hook turns every hardening fuse on and RunAsNode stays on', async () => {
    const config = await loadConfig();
    expect(config.afterPack).toBe('./build/after-pack.mjs');
    const hook = (await import(pathToFileURL(join(root, 'build', 'after-pack.mjs')).href)) as AfterPackModule;
    const dir = await mkdtemp(join(tmpdir(), 'lithe-fuses-'));
    try {
      const context: PackContext = {
        appOutDir: dir,
        electronPlatformName: 'linux',
        arch: 1,
        packager: { executableName: 'lithe', appInfo: { productFilename: 'Lithe' } },
      };
      const binary = hook.electronBinaryOf(context);
      expect(binary).toBe(join(dir, 'lithe'));
      expect(hook.electronBinaryOf({ ...context, electronPlatformName: 'win32' })).toBe(join(dir, 'Lithe.exe'));
      await writeFile(
        binary,
        Buffer.concat([
          Buffer.from('ELF…'),
          Buffer.from(SENTINEL),
          Buffer.from([1, 8]),
          Buffer.from(ELECTRON_DEFAULT_WIRE),
          Buffer.from('…'),
        ]),
      );
      await hook.afterPack(context);
      const bytes = await readFile(binary);
      const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
      const wire = bytes.subarray(at, at + 8).toString();
      const on = (fuse: FuseV1Options): boolean => wire[fuse] === '1';
      expect(on(FuseV1Options.RunAsNode)).toBe(true);
      expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
      expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
      expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
      expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
      expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
      expect(on(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot)).toBe(false);
      expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
