import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Architecture rules: the engine never imports Electron; the renderer imports nothing from the engine,
// the hosts or Node; the contract depends on nothing but zod; the package decoder on nothing at all.

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
