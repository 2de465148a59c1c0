import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activationBytesOf } from '../../../src/engine/jobs/activation-memory';
import { jobMemoryNeed, jobMemoryNeedBytes } from '../../../src/engine/jobs/job-memory-need';
import { jobMemoryLimitBytes, memoryCapBytes } from '../../../src/engine/jobs/memory-limit';
import { calibrationRunBytes } from '../../../src/engine/quantize/run-budget';
import { encode, FLOAT, floatTensor, graph, intsAttr, model, node, valueInfo } from '../helpers/onnx-builders';

const dir = mkdtempSync(join(tmpdir(), 'lithe-memory-limit-'));

/** A 3×3 convolution with 8 filters (under 1 KB of weights) on an image input of `height`×`width` (or open). */
function convFile(name: string, height: number | string, width: number | string): string {
  const weights = Array.from({ length: 8 * 3 * 3 * 3 }, (_, i) => (i % 7) / 10);
  const bytes = encode(
    model(
      graph({
        node: [node('Conv', ['x', 'w'], ['y'], [intsAttr('kernel_shape', [3, 3]), intsAttr('pads', [1, 1, 1, 1])])],
        initializer: [floatTensor('w', [8, 3, 3, 3], weights)],
        input: [valueInfo('x', FLOAT, [1, 3, height, width])],
        output: [valueInfo('y', FLOAT, [1, 8, height, width])],
      }),
    ),
  );
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** x[1,8,512,512] → `layers` Relus in a row: each intermediate 8 MB, only a few alive in an ordinary run. */
function reluChainFile(name: string, layers: number): string {
  const names = ['x', ...Array.from({ length: layers }, (_, i) => `r${i}`)];
  const bytes = encode(
    model(
      graph({
        node: names.slice(1).map((out, i) => node('Relu', [names[i] ?? 'x'], [out])),
        input: [valueInfo('x', FLOAT, [1, 8, 512, 512])],
        output: [valueInfo(names.at(-1) ?? 'x', FLOAT, [1, 8, 512, 512])],
      }),
    ),
  );
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** A 141-byte model whose one Range, from constants, makes 2^`log2` floats; its output is declared with an open size. */
function rangeFile(name: string, log2: number): string {
  const bytes = encode(
    model(
      graph({
        node: [node('Range', ['start', 'limit', 'delta'], ['y'], [], 'range')],
        initializer: [floatTensor('start', [], [0]), floatTensor('limit', [], [2 ** log2]), floatTensor('delta', [], [1])],
        output: [valueInfo('y', FLOAT, ['n'])],
      }),
    ),
  );
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

describe('job memory limit', () => {
  it('grows with the activations of a model with small weights and a large input, in the job, not the host', async () => {
    const small = convFile('small-input.onnx', 32, 32);
    const large = convFile('large-input.onnx', 1280, 960);
    const pixels = 1280 * 960;
    // the input (3 channels) and the convolution's output (8 channels), float32
    expect(activationBytesOf(large)).toMatchObject({ oneRun: pixels * (3 + 8) * 4, everyValue: pixels * (3 + 8) * 4 });
    const grown = (await jobMemoryNeedBytes({ model: large }, {})) - (await jobMemoryNeedBytes({ model: small }, {}));
    expect(grown).toBeGreaterThan(3 * pixels * (3 + 8) * 4);
    // The host's starting limit reads no model: files of about the same size start about the same.
    expect(Math.abs(jobMemoryLimitBytes({ model: large }, {}) - jobMemoryLimitBytes({ model: small }, {}))).toBeLessThan(1024);
    expect(await jobMemoryNeedBytes({ model: large }, {})).toBeGreaterThan(jobMemoryLimitBytes({ model: large }, {}));
  });

  it('counts a calibration run of every intermediate when the recipe calibrates (all of them are exposed at once)', async () => {
    const file = reluChainFile('relu-chain.onnx', 12);
    const tensor = 8 * 512 * 512 * 4;
    expect(activationBytesOf(file)).toMatchObject({ oneRun: 4 * tensor, everyValue: 13 * tensor });
    const graphNeed = await jobMemoryNeedBytes({ model: file, recipe: 'graph' }, {});
    const recipeFile = join(dir, 'calibrating-recipe.json');
    writeFileSync(recipeFile, JSON.stringify({ name: 'mine', steps: [{ pass: 'quantize-int8-static', options: {} }] }));
    for (const recipe of ['int8-static', 'mixed', recipeFile, { name: 'data', steps: [{ pass: 'quantize-int8-static', options: {} }] }]) {
      expect(await jobMemoryNeedBytes({ model: file, recipe }, {})).toBe(graphNeed - 6 * 4 * tensor + 5 * calibrationRunBytes(13 * tensor));
    }
    expect(await jobMemoryNeedBytes({ model: file, recipe: 'int8-dynamic' }, {})).toBe(graphNeed);
  });

  it('counts open input dimensions at the representative sizes', () => {
    const open = convFile('open-input.onnx', 'height', 'width');
    const bytes = activationBytesOf(open)?.oneRun;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(64 * 1024 ** 2);
  });

  it('still obeys LITHE_MEMORY_LIMIT_MB', async () => {
    const large = convFile('large-env.onnx', 1280, 960);
    expect(jobMemoryLimitBytes({ model: large }, { LITHE_MEMORY_LIMIT_MB: '100' })).toBe(100 * 1024 ** 2);
    expect(await jobMemoryNeedBytes({ model: large, recipe: 'int8-static' }, { LITHE_MEMORY_LIMIT_MB: '100' })).toBe(100 * 1024 ** 2);
  });

  it('falls back to the file-size rule for files it cannot read', async () => {
    const valid = convFile('valid.onnx', 1280, 960);
    const truncated = join(dir, 'truncated.onnx');
    writeFileSync(truncated, encode(model(graph({}))).subarray(0, 5));
    const garbage = join(dir, 'garbage.tflite');
    writeFileSync(garbage, Buffer.concat([Buffer.from([0x1c, 0, 0, 0]), Buffer.from('TFL3'), Buffer.alloc(200, 0xff)]));
    const folder = join(dir, 'a-folder.onnx');
    mkdirSync(folder);
    const baseline = jobMemoryLimitBytes({ model: join(dir, 'missing.onnx') }, {});
    for (const file of [truncated, garbage, folder, join(dir, 'missing.onnx')]) {
      expect(activationBytesOf(file)).toBeUndefined();
      expect(await jobMemoryNeedBytes({ model: file }, {})).toBeLessThan(baseline + 16 * 64 * 1024);
    }
    expect(await jobMemoryNeedBytes({ model: valid }, {})).toBeGreaterThan(baseline);
  });

  it('sizes a Range from its constant inputs, and refuses a job whose runs alone pass the most a job may use', async () => {
    // 2^34 floats (64 GB): more than any machine's half, whatever runs the test.
    const huge = rangeFile('range-34.onnx', 34);
    expect(activationBytesOf(huge)).toMatchObject({ oneRun: 4 * 2 ** 34, largest: { name: 'y', opType: 'Range', bytes: 4 * 2 ** 34 } });
    const need = await jobMemoryNeed({ model: huge, recipe: 'graph' }, {});
    expect(need.limitBytes).toBe(memoryCapBytes());
    expect(need.refusal).toMatch(/^this needs about 384\.\d GB of memory, more than the \d+\.\d GB one job may use, so it was not run/);
    expect(need.refusal).toMatch(/the largest, "y" of a Range, takes 64\.0 GB/);
    // A small Range runs; a limit the user set is enforced as it is, without refusing ahead.
    expect((await jobMemoryNeed({ model: rangeFile('range-10.onnx', 10) }, {})).refusal).toBeUndefined();
    expect(await jobMemoryNeed({ model: huge }, { LITHE_MEMORY_LIMIT_MB: '900' })).toEqual({ limitBytes: 900 * 1024 ** 2 });
  });
});
