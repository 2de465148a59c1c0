import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CorpusFile } from '../../scripts/corpus/corpus-schema';
import { runCorpus } from '../../scripts/corpus/run-corpus';
import { FLOAT, encode, floatTensor, graph, int64Tensor, intAttr, model, node, valueInfo } from '../engine/helpers/onnx-builders';

// x[1] → (x + cᵢ) → Expand to [64, 1024, 1024] (256 MB each), four of them → Concat → ReduceSum → y[1].
// Tiny file, a gigabyte of activations that ONNX Runtime allocates natively when the model runs.
function hostileExpandModel(): Uint8Array {
  const branches = [0, 1, 2, 3];
  const nodes = branches.flatMap((i) => [node('Add', ['x', `c${i}`], [`a${i}`]), node('Expand', [`a${i}`, 'shape'], [`e${i}`])]);
  nodes.push(
    node(
      'Concat',
      branches.map((i) => `e${i}`),
      ['all'],
      [intAttr('axis', 0)],
    ),
  );
  nodes.push(node('ReduceSum', ['all'], ['y'], [intAttr('keepdims', 0)]));
  return encode(
    model(
      graph({
        node: nodes,
        initializer: [int64Tensor('shape', [3], [64, 1024, 1024]), ...branches.map((i) => floatTensor(`c${i}`, [1], [i + 1]))],
        input: [valueInfo('x', FLOAT, [1])],
        output: [valueInfo('y', FLOAT, [])],
      }),
    ),
  );
}

describe('the corpus memory limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-corpus-memory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops a cell whose native memory passes the limit, and says so', { timeout: 120_000 }, async () => {
    writeFileSync(join(dir, 'expand.onnx'), hostileExpandModel());
    const corpus: CorpusFile = { models: [{ model: 'expand.onnx', ops: {} }] };
    const [cell] = await runCorpus(corpus, { modelsDir: dir, ops: ['graph'], jobs: 1, timeoutSeconds: 100, memoryLimitMb: 600 });
    expect(cell?.measured.outcome).toBe('failed');
    expect(cell?.measured.reason).toMatch(/needs more than 0\.6 GB of memory, the limit for one job/);
    expect(cell?.judgement.status).toBe('unexpected');
  });
});
