import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CorpusFile } from '../../scripts/corpus/corpus-schema';
import { runCorpus } from '../../scripts/corpus/run-corpus';
import { encode, expandBranchesModel } from '../engine/helpers/onnx-builders';

describe('the corpus memory limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-corpus-memory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops a cell whose native memory passes the limit, and says so', { timeout: 120_000 }, async () => {
    writeFileSync(join(dir, 'expand.onnx'), encode(expandBranchesModel()));
    const corpus: CorpusFile = { models: [{ model: 'expand.onnx', ops: {} }] };
    const [cell] = await runCorpus(corpus, { modelsDir: dir, ops: ['graph'], jobs: 1, timeoutSeconds: 100, memoryLimitMb: 600 });
    expect(cell?.measured.outcome).toBe('failed');
    expect(cell?.measured.reason).toMatch(/needs more than 0\.6 GB of memory, the limit for one job/);
    expect(cell?.judgement.status).toBe('unexpected');
  });
});
