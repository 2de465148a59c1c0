import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../../src/engine/jobs/job-runner';
import { taskRef } from '../../../src/engine/jobs/task-ref';
import { encode, FLOAT, floatTensor, graph, model, node, valueInfo } from '../helpers/onnx-builders';
import type { tasks } from './native-fixture-tasks';

// The model fuzz host aborted with "terminate called after throwing an instance of 'Napi::Error'"
// right after a forced cancel: a job's worker thread terminated while it was inside a call of ONNX
// Runtime's native addon takes the whole process down. Here jobs that call ONNX Runtime without a
// pause are stopped by force at random moments; this test process must live through all of them
// (before the native gate, it aborted on the first or second trial).
const FIXTURES = new URL('./native-fixture-tasks.ts', import.meta.url).href;
const RUN_ONNX = taskRef<typeof tasks, 'runOnnxUntilStopped'>(FIXTURES, 'runOnnxUntilStopped');
const ROWS = 64;
const WIDTH = 256;
const LAYERS = 8;

const dir = mkdtempSync(join(tmpdir(), 'lithe-native-cancel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** x[64,256] through 8 MatMuls by a 256×256 weight: a few milliseconds of native work per run. */
function matmulChainFile(): string {
  const weight = floatTensor(
    'W',
    [WIDTH, WIDTH],
    Array.from({ length: WIDTH * WIDTH }, (_, i) => ((i % 7) - 3) / 1000),
  );
  const nodes = Array.from({ length: LAYERS }, (_, i) =>
    node('MatMul', [i === 0 ? 'x' : `h${i}`, 'W'], [i === LAYERS - 1 ? 'y' : `h${i + 1}`]),
  );
  const bytes = encode(
    model(
      graph({
        node: nodes,
        initializer: [weight],
        input: [valueInfo('x', FLOAT, [ROWS, WIDTH])],
        output: [valueInfo('y', FLOAT, [ROWS, WIDTH])],
      }),
    ),
  );
  const file = join(dir, 'matmul-chain.onnx');
  writeFileSync(file, bytes);
  return file;
}

describe('a job stopped by force while it runs ONNX Runtime in a worker thread', () => {
  it('ends its job as cancelled, and the host lives on', async () => {
    const file = matmulChainFile();
    const runner = new JobRunner({ concurrency: 1, cancelGraceMs: 0 });
    let seed = 18;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 12; trial++) {
      const controller = new AbortController();
      // Before the first round (loading, creating a session) or in the middle of runs.
      const delayMs = trial % 2 === 0 ? random() * 1500 : 0;
      const job = runner.run(
        RUN_ONNX,
        { model: file, rows: ROWS, width: WIDTH },
        {
          signal: controller.signal,
          onProgress: () => setTimeout(() => controller.abort(), random() * 30),
        },
      );
      const timer = setTimeout(() => controller.abort(), delayMs || 60_000);
      const error = await job.then(
        () => null,
        (caught: unknown) => caught,
      );
      clearTimeout(timer);
      expect(error).toMatchObject({ code: 'cancelled' });
    }
    await runner.close();
  }, 180_000);
});
