import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTflite } from '../../../src/engine/formats/tflite';
import { optimizeModel } from '../../../src/engine/optimize/optimize-model';
import { bytesOf, tinyCnn } from '../quantize/tiny-models';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lithe-format-split-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('optimizing an ONNX model into TFLite', () => {
  it('quantizes after converting, so the TFLite result has int8 weights and kernels', { timeout: 120_000 }, async () => {
    const model = join(dir, 'cnn.onnx');
    await writeFile(model, bytesOf(tinyCnn()));
    const report = await optimizeModel({ model, outDir: join(dir, 'run'), recipe: 'int8-static', format: 'tflite' });
    expect(report.verification.status).toBe('passed');
    const out = decodeTflite(new Uint8Array(await readFile(report.output.path)));
    const ops = out.graph.nodes.map((n) => n.opType);
    expect(ops).toContain('CONV_2D');
    // no float layer wrapped in quantize/dequantize: the layers themselves run in int8
    expect(ops).not.toContain('DEQUANTIZE');
    const layers = out.graph.nodes.filter((n) => n.opType === 'CONV_2D' || n.opType === 'FULLY_CONNECTED');
    expect(layers.length).toBe(2);
    for (const layer of layers) expect(layer.inputs[1]?.initializer?.dtype).toBe('int8');
    const quantize = report.steps.find((step) => step.pass === 'quantize-int8-static');
    expect(quantize?.changed).toBe(true);
    expect(report.shortfall).toBeUndefined();
  });
});
