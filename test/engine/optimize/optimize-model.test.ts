import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimizeModel } from '../../../src/engine/optimize/optimize-model';
import { builtinRecipe } from '../../../src/engine/recipes/builtin-recipes';
import { encodeOnnx, readOnnx } from '../../../src/engine/formats/onnx';
import { writeTflite } from '../../../src/engine/formats/tflite';
import { addModel } from '../helpers/tflite-builders';
import { FACE_SHORT_TFLITE, PPOCR_CLS_ONNX } from '../../fixtures/real-models';
import { tinyClassifier } from '../train/tiny-task';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lithe-optimize-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('optimizeModel', () => {
  it('runs the graph recipe on a real model, verifies it and writes a complete run folder', async () => {
    const outDir = join(dir, 'ppocr');
    const report = await optimizeModel({ model: PPOCR_CLS_ONNX, outDir, recipe: 'graph' });
    expect(report.output.nodeCount).toBeLessThan(report.input.nodeCount);
    expect(report.steps.find((step) => step.pass === 'fold-batchnorm')?.stats['batchNormsFolded']).toBeGreaterThan(0);
    expect(report.verification.status).toBe('passed');
    expect(report.verification.relative).toBeLessThan(1e-4);
    expect((await readdir(outDir)).sort()).toEqual(['ch_ppocr_mobile_v2.0_cls_infer.graph.onnx', 'report.html', 'report.json']);
    const saved = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as typeof report;
    expect(saved.output.sha256).toBe(report.output.sha256);
    const html = await readFile(join(outDir, 'report.html'), 'utf8');
    expect(html).toContain('new Chart(');
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it('refuses to write into a folder that holds other files', async () => {
    const outDir = join(dir, 'occupied');
    await optimizeModel({ model: PPOCR_CLS_ONNX, outDir: join(outDir), recipe: { name: 'nothing', steps: [] } });
    await expect(optimizeModel({ model: PPOCR_CLS_ONNX, outDir, recipe: 'graph' })).rejects.toThrow(/not empty/);
  });

  it('names the file and leaves nothing behind when the model is corrupt', async () => {
    const bytes = await readFile(PPOCR_CLS_ONNX);
    const broken = join(dir, 'broken.onnx');
    await writeFile(broken, bytes.subarray(0, 5000));
    const outDir = join(dir, 'broken-run');
    await expect(optimizeModel({ model: broken, outDir, recipe: 'graph' })).rejects.toThrow(new RegExp(`${broken}: .*truncated`));
    expect(existsSync(outDir)).toBe(false);
    expect((await readdir(dir)).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('names the step and option when a recipe is invalid', async () => {
    const recipe = join(dir, 'bad-recipe.json');
    await writeFile(recipe, JSON.stringify({ name: 'bad', steps: [{ pass: 'fold-batchnorm' }, { pass: 'no-such-pass' }] }));
    await expect(optimizeModel({ model: PPOCR_CLS_ONNX, outDir: join(dir, 'x'), recipe })).rejects.toThrow(
      /step 2: there is no pass called "no-such-pass"/,
    );
    await expect(optimizeModel({ model: PPOCR_CLS_ONNX, outDir: join(dir, 'x'), recipe: 'fastest-ever' })).rejects.toThrow(
      /no built-in recipe called "fastest-ever"/,
    );
  });
});

describe('optimizeModel across formats', () => {
  it('writes a TFLite model as ONNX and proves both compute the same (TFLite runtime vs onnxruntime)', { timeout: 120_000 }, async () => {
    const outDir = join(dir, 'face-onnx');
    const report = await optimizeModel({ model: FACE_SHORT_TFLITE, outDir, recipe: 'graph', format: 'onnx' });
    expect(report.input.format).toBe('tflite');
    expect(report.output.format).toBe('onnx');
    expect(report.output.path.endsWith('.onnx')).toBe(true);
    expect(report.verification.status).toBe('passed');
    expect(report.verification.relative).toBeLessThan(1e-4);
  });
});

describe('optimizeModel on a model that cannot run here', () => {
  it('writes the original file when nothing changed, and says it is identical without running it', async () => {
    const model = addModel();
    model.operatorCodes = [{ code: 32, builtinCode: 32, deprecatedBuiltinCode: 32, customCode: 'MadeUpCustomOp', version: 1 }];
    const input = join(dir, 'custom-op.tflite');
    await writeFile(input, writeTflite(model));
    const report = await optimizeModel({ model: input, outDir: join(dir, 'custom-op'), recipe: 'graph' });
    expect(report.changed).toBe(false);
    expect(report.output.sha256).toBe(report.input.sha256);
    expect(report.verification).toMatchObject({ status: 'passed', verdict: 'identical' });
    expect(report.verification.reason).toMatch(/MadeUpCustomOp/);
    expect(report.headline).toMatch(/^Nothing changed/);
  });

  it('says a result that grew did less than promised, with both sizes', async () => {
    // Dynamic int8 adds quantize/dequantize work to every layer; on weights this small that outweighs the bytes saved.
    const input = join(dir, 'tiny.onnx');
    await writeFile(input, encodeOnnx(tinyClassifier()));
    const report = await optimizeModel({ model: input, outDir: join(dir, 'tiny-int8'), recipe: 'int8-dynamic' });
    expect(report.changed).toBe(true);
    expect(report.output.sizeBytes).toBeGreaterThan(report.input.sizeBytes * 1.01);
    expect(report.shortfall).toMatch(/^the result is larger than the original \(\d[\d,]* → \d[\d,]* bytes\)$/);
    expect(report.headline).toMatch(/^Less than promised: the result is larger/);
  });
});

describe('optimizeModel with data', () => {
  it(
    'checks quantization steps on the given data, not on generated inputs, and accepts a recipe given as data',
    { timeout: 180_000 },
    async () => {
      // PaddleOCR's classifier reads 3×48×192 text crops; its height and width are left open in the model.
      const samples = 6;
      const values = Float32Array.from({ length: samples * 3 * 48 * 192 }, (_, i) => ((i * 7919) % 1000) / 1000);
      const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${samples}, 3, 48, 192), }`;
      const padded = header.padEnd(64 * Math.ceil((header.length + 11) / 64) - 11, ' ') + '\n';
      const npy = Buffer.concat([
        Buffer.from([0x93]),
        Buffer.from('NUMPY'),
        Buffer.from([1, 0]),
        Buffer.from(Uint16Array.of(padded.length).buffer),
        Buffer.from(padded, 'latin1'),
        Buffer.from(values.buffer),
      ]);
      const data = join(dir, 'crops.npy');
      await writeFile(data, npy);
      // The built-in int8 recipe with one layer kept in float, as the result page's "keep in float" does.
      const builtin = builtinRecipe('int8-static')!;
      const steps = builtin.steps.map((step) =>
        step.pass === 'quantize-int8-static' ? { ...step, options: { ...step.options, exclude: ['p2o.Conv.0'] } } : step,
      );
      const recipe = { name: 'int8-custom', steps };
      const report = await optimizeModel({ model: PPOCR_CLS_ONNX, outDir: join(dir, 'ppocr-int8'), recipe, data });
      expect(report.recipe.name).toBe('int8-custom');
      expect(report.verification.inputs).toBe('data');
      expect(report.output.sizeBytes).toBeLessThan(report.input.sizeBytes * 0.7);
      expect(report.evaluation?.fidelity?.cosine).toBeGreaterThan(0.99);
      const written = readOnnx(report.output.path);
      const weightSource = (name: string): string | undefined => {
        const conv = written.graph.nodes.find((node) => node.name === name);
        return conv?.inputs[1] ? (written.graph.producerOf(conv.inputs[1])?.opType ?? 'initializer') : undefined;
      };
      expect(weightSource('p2o.Conv.0')).toBe('initializer');
      expect(weightSource('p2o.Conv.3')).toBe('DequantizeLinear');
    },
  );
});
