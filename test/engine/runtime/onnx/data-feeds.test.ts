import { afterAll, describe, expect, it } from 'vitest';
import { toBinary } from '@bufbuild/protobuf';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TensorProtoSchema } from 'onnx-buf';
import { BenchConfig, InputOptions, RunPlan } from '../../../../src/contract/bench';
import { runConfig } from '../../../../src/engine/bench/run-config';
import { LitheError } from '../../../../src/engine/errors';
import { readDataFeeds } from '../../../../src/engine/runtime/onnx/data-feeds';
import { floatTensor } from '../../helpers/onnx-builders';
import { matmulChain, modelFolder } from '../../bench/tiny-models';
import { at, entry } from '../../../helpers/at';

const folder = modelFolder();
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('inputs from a data folder', () => {
  it('reads ONNX test data by name and feeds a benchmark', async () => {
    const data = join(folder, 'data', 'test_data_set_0');
    mkdirSync(data, { recursive: true });
    writeFileSync(
      join(data, 'input_0.pb'),
      toBinary(
        TensorProtoSchema,
        floatTensor(
          'x',
          [2, 8],
          Array.from({ length: 16 }, (_, i) => i / 16),
        ),
      ),
    );
    const { inputs, feeds } = readDataFeeds(join(folder, 'data'), [{ name: 'x', dtype: 'float32', shape: ['N', 8] }]);
    expect(at(inputs, 0).shape).toEqual([2, 8]);
    expect(at(at(inputs, 0).assumed, 0)).toContain('input_0.pb');
    expect(at(entry(feeds, 'x', 'feeds').data, 15)).toBeCloseTo(15 / 16, 6);

    const model = matmulChain(folder, 'chain.onnx', 2, 8);
    const result = await runConfig({
      model,
      config: BenchConfig.parse({}),
      plan: RunPlan.parse({ runs: 3, warmupRuns: 0 }),
      inputs: InputOptions.parse({ dataFolder: join(folder, 'data') }),
    });
    expect(at(result.inputs, 0).shape).toEqual([2, 8]);
    expect(result.runs).toBe(3);
  });

  it('says clearly when the folder has no data or the wrong type', () => {
    expect(() => readDataFeeds(folder, [{ name: 'x', dtype: 'float32', shape: [1] }])).toThrow(LitheError);
    expect(() => readDataFeeds(join(folder, 'data'), [{ name: 'x', dtype: 'int64', shape: [1] }])).toThrow(
      /is int64 but the data is float32/,
    );
  });
});
