import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { minimatch } from 'minimatch';

// The packaging config cannot be built here (no Electron download); check what can be checked:
// the config loads and validates, and each platform ships only its own onnxruntime binaries.

type FileSet = string | { filter?: string[] };
interface BuilderConfig {
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
