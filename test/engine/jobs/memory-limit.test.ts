import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activationBytesOf } from '../../../src/engine/jobs/activation-memory';
import { jobMemoryLimitBytes } from '../../../src/engine/jobs/memory-limit';
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

describe('job memory limit', () => {
  it('grows with the activations of a model with small weights and a large input', () => {
    const small = convFile('small-input.onnx', 32, 32);
    const large = convFile('large-input.onnx', 1280, 960);
    const pixels = 1280 * 960;
    // the input (3 channels) and the convolution's output (8 channels), float32
    expect(activationBytesOf(large)).toBe(pixels * (3 + 8) * 4);
    const grown = jobMemoryLimitBytes({ model: large }, {}) - jobMemoryLimitBytes({ model: small }, {});
    expect(grown).toBeGreaterThan(3 * pixels * (3 + 8) * 4);
  });

  it('counts open input dimensions at the representative sizes', () => {
    const open = convFile('open-input.onnx', 'height', 'width');
    const bytes = activationBytesOf(open);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(64 * 1024 ** 2);
  });

  it('still obeys LITHE_MEMORY_LIMIT_MB', () => {
    const large = convFile('large-env.onnx', 1280, 960);
    expect(jobMemoryLimitBytes({ model: large }, { LITHE_MEMORY_LIMIT_MB: '100' })).toBe(100 * 1024 ** 2);
  });

  it('falls back to the file-size rule for files it cannot read', () => {
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
      expect(jobMemoryLimitBytes({ model: file }, {})).toBeLessThan(baseline + 16 * 64 * 1024);
    }
    expect(jobMemoryLimitBytes({ model: valid }, {})).toBeGreaterThan(baseline);
  });
});
