import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

// The README shows screenshots the browser tests take (LITHE_UPDATE_DOCS=1): each one it names must be there.
describe('README screenshots', () => {
  it('every image the README shows exists in docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\((docs\/[^)]+\.png)\)/g)].map((match) => match[1] ?? '');
    expect(images.length).toBeGreaterThan(10);
    expect(images.filter((image) => !existsSync(join(ROOT, image)))).toEqual([]);
  });

  it('every screenshot a browser test writes into docs/ is shown in the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const folder = join(ROOT, 'test', 'e2e');
    const tests = readdirSync(folder).filter((name) => name.endsWith('.e2e.ts'));
    const written = tests.flatMap((name) => {
      const path = join(folder, name);
      return [...readFileSync(path, 'utf8').matchAll(/snap\(page, testInfo, '([^']+\.png)', \{ doc: true \}\)/g)].map((m) => m[1] ?? '');
    });
    expect(written.length).toBeGreaterThan(5);
    expect(written.filter((name) => !readme.includes(`docs/${name}`))).toEqual([]);
  });
});
