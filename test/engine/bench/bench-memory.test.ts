import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngineService } from '../../../src/engine/service';
import { encode, FLOAT, floatTensor, graph, model, node, valueInfo } from '../helpers/onnx-builders';
import { modelFolder } from './tiny-models';

// A benchmark child runs the model natively: one whose runs alone need more than a job may use is
// refused before a child is started, instead of growing to the limit and being stopped there.
const folder = modelFolder();
const service = createEngineService({ host: 'web', devicesFolder: join(folder, 'devices') });
afterAll(async () => {
  await service.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('a benchmark of a model too large for any job', { timeout: 60_000 }, () => {
  it('is refused before it runs, naming the tensor', async () => {
    const file = join(folder, 'range.onnx');
    const range = graph({
      node: [node('Range', ['start', 'limit', 'delta'], ['y'])],
      initializer: [floatTensor('start', [], [0]), floatTensor('limit', [], [2 ** 34]), floatTensor('delta', [], [1])],
      output: [valueInfo('y', FLOAT, ['n'])],
    });
    writeFileSync(file, encode(model(range)));
    const result = await service.invoke('bench.run', { models: [file], plan: { runs: 3, warmupRuns: 1 } });
    expect(result.results).toEqual([]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ code: 'runtime-failed', model: file });
    expect(result.failures[0]?.message).toMatch(/needs about 384\.\d GB of memory, .* "y" of a Range, takes 64\.0 GB/);
  });
});
