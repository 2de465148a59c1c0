import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/contract';
import { createEngineService } from '../../../src/engine/service';
import { listsChildren, unreapedChildren } from '../../helpers/child-processes';
import { matmulChain, modelFolder } from './tiny-models';

// A benchmark runs in a child process started by the job's worker thread. Cancelled with a short
// grace, the worker used to be terminated before its child had ended, and the child stayed behind
// as an unreaped zombie of the host, one per cancel.
const folder = modelFolder();
const model = matmulChain(folder, 'chain.onnx', 8, 256);
const service = createEngineService({ host: 'web', devicesFolder: join(folder, 'devices'), cancelGraceMs: 50 });
afterAll(async () => {
  await service.close();
  rmSync(folder, { recursive: true, force: true });
});

// A benchmark child that ended unreaped shows only its short name, "(node)". (tsx, which runs these
// TypeScript sources, may leave its own "(esbuild)" service behind in a worker that had to compile.)
const leftovers = (): unknown[] =>
  unreapedChildren().filter((child) => child.command.includes('bench-child') || (child.state === 'Z' && child.command === '(node)'));

describe.runIf(listsChildren)('a cancelled benchmark', { timeout: 120_000 }, () => {
  it('leaves no benchmark process behind, running or unreaped', async () => {
    for (let round = 0; round < 2; round++) {
      const controller = new AbortController();
      const error = await service
        .invoke(
          'bench.run',
          { models: [model], plan: { runs: 100_000, warmupRuns: 1 } },
          {
            signal: controller.signal,
            // Cancel once the child is measuring: it is then running ONNX Runtime in a process of its own.
            onProgress: (progress) => {
              if (progress.stage !== 'load') controller.abort();
            },
          },
        )
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CommandError);
      expect((error as CommandError).info.code).toBe('cancelled');
      expect(leftovers()).toEqual([]);
    }
  });
});
