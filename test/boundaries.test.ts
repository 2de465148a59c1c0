import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Architecture rules: the engine never imports Electron; the renderer imports nothing from the engine,
// the hosts or Node; the contract depends on nothing but zod; the package decoder on nothing at all;
// the CLI reaches the engine only through the service's public entry and the contract.

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  const absolute = join(root, dir);
  try {
    statSync(absolute);
  } catch {
    return [];
  }
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|svelte|js)$/.test(file) && !file.includes('generated'))
    .map((file) => join(absolute, file));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

function violations(dir: string, forbidden: (specifier: string, file: string) => boolean): string[] {
  return sources(dir).flatMap((file) =>
    importsOf(file)
      .filter((specifier) => forbidden(specifier, file))
      .map((specifier) => `${relative(root, file)} imports ${specifier}`),
  );
}

describe('module boundaries', () => {
  it('the engine never imports Electron', () => {
    expect(violations('src/engine', (specifier) => specifier === 'electron' || specifier.startsWith('electron/'))).toEqual([]);
  });

  it('the renderer imports nothing from the engine, the hosts or Node', () => {
    const forbidden = (specifier: string): boolean =>
      /(^|\/)(engine|server|main|cli|preload)(\/|$)/.test(specifier) || specifier.startsWith('node:') || specifier === 'electron';
    expect(violations('src/renderer', forbidden)).toEqual([]);
  });

  it('the contract depends on nothing but zod and itself', () => {
    expect(violations('src/contract', (specifier) => !specifier.startsWith('./') && specifier !== 'zod')).toEqual([]);
  });

  it('the .lithe package decoder imports nothing outside its folder (apps embed it)', () => {
    expect(sources('src/engine/compress/decoder').length).toBeGreaterThan(0);
    expect(violations('src/engine/compress/decoder', (specifier) => !/^\.\/[\w-]+$/.test(specifier))).toEqual([]);
  });
});

describe('the CLI is a host like the others', () => {
  const cli = join(root, 'src/cli');
  // The service's public entry (a folder means its index) and any part of the contract.
  const allowed = (path: string): boolean => path === 'src/engine/service' || path === 'src/contract' || path.startsWith('src/contract/');
  // `lithe serve` starts the web host, which serves the engine through the same service.
  const hosts = new Set(['src/server/web-host']);
  const target = (specifier: string, file: string): string =>
    relative(root, resolve(dirname(file), specifier))
      .replaceAll('\\', '/')
      .replace(/\.(ts|js)$/, '');

  it('imports only the engine service, the contract, its own files and packages', () => {
    const forbidden = (specifier: string, file: string): boolean => {
      if (!specifier.startsWith('.')) return specifier === 'electron';
      const path = target(specifier, file);
      return !path.startsWith('src/cli/') && !allowed(path) && !hosts.has(path);
    };
    expect(violations('src/cli', forbidden)).toEqual([]);
  });

  it('has files to check, and the rule catches a deep engine import', () => {
    expect(sources('src/cli').length).toBeGreaterThan(5);
    const file = join(cli, 'commands', 'example.ts');
    expect(target('../../engine/service', file)).toBe('src/engine/service');
    expect(target('../../engine/jobs/job-runner', file)).toBe('src/engine/jobs/job-runner');
    expect(allowed(target('../../engine/jobs/job-runner', file))).toBe(false);
    expect(allowed(target('../../engine/service/engine-service', file))).toBe(false);
  });
});
