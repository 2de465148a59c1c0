import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../scripts/corpus/corpus-schema';
import { runCorpus } from '../../scripts/corpus/run-corpus';

const CORPUS = join(import.meta.dirname, '..', '..', 'corpus', 'models.json');

describe('the real-model corpus, npm part (models shipped in devDependencies)', () => {
  it('every cell listed under `ci` has its expected outcome', { timeout: 300_000 }, async () => {
    const corpus = readCorpus(CORPUS);
    const cells = await runCorpus(corpus, { ci: true, jobs: 2, timeoutSeconds: 240 });
    expect(cells.length).toBeGreaterThan(0);
    const unexpected = cells
      .filter((cell) => cell.judgement.status !== 'expected')
      .map((cell) => `${cell.model} · ${cell.operation}: ${cell.judgement.problems.join('; ') || 'no expectation'}`);
    expect(unexpected).toEqual([]);
  });
});
