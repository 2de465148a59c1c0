import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutFromShape } from '../../../src/engine/data/input-layout';
import { randomSource, RANDOM_DATA_WARNING } from '../../../src/engine/data/random-source';
import { compareOnData } from '../../../src/engine/evaluate/compare-on-data';
import { decodeOnnx, encodeOnnx } from '../../../src/engine/formats/onnx';
import { decodeTflite, encodeTflite, readTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { foldBatchnorm } from '../../../src/engine/passes/fold-batchnorm';
import { foldConstants } from '../../../src/engine/passes/fold-constants';
import { upgradeOpset } from '../../../src/engine/passes/upgrade-opset';
import { dynamicInt8 } from '../../../src/engine/quantize/dynamic-int8';
import { float16 } from '../../../src/engine/quantize/float16';
import { mixedPrecision } from '../../../src/engine/quantize/mixed-precision';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { createVerifier } from '../../../src/engine/verify/verifier';
import { createOrtRunner } from '../../../src/engine/verify/ort-runner';
import { PPOCR_CLS_ONNX } from '../../fixtures/real-models';
import { smallCnnModel } from '../helpers/tflite-builders';
import { tfliteCosine } from '../helpers/tflite-cosine';

const ppocrLayout = layoutFromShape('x', ['N', 3, 48, 192]);

async function cosineOnRandom(reference: Uint8Array, candidate: Uint8Array): Promise<number> {
  const a = await createOrtRunner(reference, { role: 'reference' });
  const b = await createOrtRunner(candidate, { role: 'candidate' });
  try {
    return (await compareOnData({ runner: b }, { runner: a }, randomSource(ppocrLayout, 8, 5))).fidelity!.cosine;
  } finally {
    await a.dispose();
    await b.dispose();
  }
}

describe('quantization on real models', () => {
  const original = new Uint8Array(readFileSync(PPOCR_CLS_ONNX));

  it('PaddleOCR classifier: float16 halves the file and keeps cosine ≥ 0.999', async () => {
    const model = decodeOnnx(original);
    await float16.run(model, float16.options.parse({}), {});
    const out = encodeOnnx(model);
    expect(out.byteLength / original.byteLength).toBeLessThan(0.6);
    expect(await cosineOnRandom(original, out)).toBeGreaterThan(0.999);
  });

  it('PaddleOCR classifier: opset 9 → 13 and constants folded, then static int8 with random calibration (flagged)', async () => {
    const model = decodeOnnx(original);
    const skipped = await staticInt8.run(model, staticInt8.options.parse({}), {});
    expect(skipped.changed).toBe(false);
    // As the int8 recipes do: opset 13, weights held by Constant nodes become initializers.
    await upgradeOpset.run(model, upgradeOpset.options.parse({ target: 13 }), {});
    await foldConstants.run(model, foldConstants.options.parse({}), {});
    await foldBatchnorm.run(model, foldBatchnorm.options.parse({}), {});
    const r = await staticInt8.run(model, staticInt8.options.parse({ samples: 8 }), { data: randomSource(ppocrLayout, 8) });
    expect(r.notes).toContain(RANDOM_DATA_WARNING);
    expect(r.stats.layersQuantized).toBeGreaterThan(10);
    const out = encodeOnnx(model);
    // Small weights in many layers: the Q/DQ bookkeeping of ~200 activations is a visible share here.
    expect(out.byteLength / original.byteLength).toBeLessThan(0.6);
    expect(decodeOnnx(out).graph.initializers.filter((t) => t.dtype === 'float32' && t.elementCount > 1024)).toEqual([]);
    expect(await cosineOnRandom(original, out)).toBeGreaterThan(0.9);
  }, 180_000);
});

describe('TFLite quantization', () => {
  it('hybrid: conv, depthwise and fully-connected weights become int8 and the TFLite runtime runs it', async () => {
    const bytes = writeTflite(smallCnnModel());
    const model = decodeTflite(bytes);
    const r = await dynamicInt8.run(model, dynamicInt8.options.parse({}), {});
    expect(r.stats.layersQuantized).toBe(3);
    const out = encodeTflite(model);
    const tensors = readTflite(out).subgraphs[0]!.tensors;
    expect(tensors.find((t) => t.name === 'conv_w')).toMatchObject({ type: 9 });
    expect(tensors.find((t) => t.name === 'conv_w')?.quantization?.scale).toHaveLength(3);
    expect(tensors.find((t) => t.name === 'fc_w')?.quantization?.scale).toHaveLength(1);
    const verifier = await createVerifier(bytes, 'tflite');
    try {
      const v = await verifier.verify(out, 'tflite');
      expect(v.worst.cosine).toBeGreaterThan(0.99);
    } finally {
      await verifier.dispose();
    }
  }, 180_000);
});

describe('TFLite weights-only int8', () => {
  it('stores weights int8 per output channel behind DEQUANTIZE, fully connected ones too', async () => {
    const bytes = writeTflite(smallCnnModel());
    const model = decodeTflite(bytes);
    const r = await dynamicInt8.run(model, dynamicInt8.options.parse({ form: 'weights-only' }), {});
    expect(r.stats.layersQuantized).toBe(3);
    const out = encodeTflite(model);
    const tensors = readTflite(out).subgraphs[0]!.tensors;
    // The int8 copy is stored next to the float value DEQUANTIZE gives back, which keeps the file's name.
    expect(tensors.find((t) => t.name === 'fc_w_int8')).toMatchObject({ type: 9 });
    expect(tensors.find((t) => t.name === 'fc_w_int8')?.quantization?.scale).toHaveLength(5);
    expect(await tfliteCosine(bytes, out)).toBeGreaterThan(0.99);
  }, 180_000);
});

describe('TFLite full-integer quantization', () => {
  it('small CNN: int8 activations, inputs and outputs, int32 biases; runs in the TFLite runtime close to float', async () => {
    const bytes = writeTflite(smallCnnModel());
    const model = decodeTflite(bytes);
    const data = randomSource(layoutFromShape('image', [1, 7, 6, 4]), 16, 4);
    const r = await staticInt8.run(model, staticInt8.options.parse({ samples: 16 }), { data });
    expect((r.notes ?? []).join(' ')).toMatch(/Full integer/);
    const out = encodeTflite(model);
    const tensors = readTflite(out).subgraphs[0]!.tensors;
    expect(tensors.find((t) => t.name === 'image')?.type).toBe(9);
    expect(tensors.find((t) => t.name === 'probs')?.quantization?.scale).toEqual([1 / 256]);
    expect(tensors.find((t) => t.name === 'conv_b')?.type).toBe(2);
    const verifier = await createVerifier(bytes, 'tflite');
    try {
      expect((await verifier.verify(out, 'tflite')).worst.cosine).toBeGreaterThan(0.98);
    } finally {
      await verifier.dispose();
    }
  }, 180_000);
});

describe('TFLite mixed precision', () => {
  it('measures each layer alone in full integer, keeps the most sensitive in float until the target holds, and the runtime runs it', async () => {
    const bytes = writeTflite(smallCnnModel());
    const model = decodeTflite(bytes);
    const data = randomSource(layoutFromShape('image', [1, 7, 6, 4]), 16, 4);
    // A target full int8 cannot meet on this model: some layer has to stay float.
    const r = await mixedPrecision.run(
      model,
      mixedPrecision.options.parse({ metric: 'cosine', target: 0.99999, evalSamples: 4, samples: 8, io: 'float' }),
      { data },
    );
    expect(r.stats.layersMeasured).toBe(3);
    expect(r.stats.layersInFloat).toBeGreaterThan(0);
    expect(r.skipped?.map((s) => s.node)).toEqual(expect.arrayContaining([expect.stringMatching(/^(conv|dw|logits)$/)]));
    expect(r.skipped?.[0]?.reason).toMatch(/^kept in float: quantized alone, it moved the result by \d\.\d{4}/);
    const out = encodeTflite(model);
    // The rest is int8 (not the float model handed back), and the runtime runs it.
    const tensors = readTflite(out).subgraphs[0]!.tensors;
    expect(tensors.filter((t) => t.type === 9).length).toBeGreaterThan(0);
    // The kept layers' float32 weights are stored float16: the target still holds with them so.
    expect((r.notes ?? []).join(' ')).toMatch(/weights left in float are stored in float16 \(\d+ tensors\)/);
    expect(tensors.filter((t) => t.type === 1).length).toBeGreaterThan(0);
    expect(tensors.filter((t) => t.type === 0 && (t.shape ?? []).reduce((a, b) => a * b, 1) >= 16 && t.buffer > 0)).toEqual([]);
    expect(await tfliteCosine(bytes, out)).toBeGreaterThan(0.99);
  }, 180_000);
});

describe('TFLite float16', () => {
  it('stores conv, depthwise and fully-connected weights as float16 behind DEQUANTIZE; the TFLite runtime runs it', async () => {
    const bytes = writeTflite(smallCnnModel());
    const model = decodeTflite(bytes);
    const r = await float16.run(model, float16.options.parse({ minElements: 1 }), {});
    expect(r.changed).toBe(true);
    expect(r.stats.tensorsConverted).toBeGreaterThanOrEqual(3);
    const out = encodeTflite(model);
    const written = readTflite(out);
    const tensors = written.subgraphs[0]!.tensors;
    expect(tensors.find((t) => t.name === 'conv_w_fp16')?.type).toBe(1);
    expect(tensors.find((t) => t.name === 'fc_w_fp16')?.type).toBe(1);
    expect(written.operatorCodes.some((c) => c.builtinCode === 6)).toBe(true); // DEQUANTIZE
    // A tiny model is dominated by its structure: compare the stored data, not the file.
    const dataBytes = (m: ReturnType<typeof readTflite>): number => m.buffers.reduce((n, b) => n + (b.data?.length ?? 0), 0);
    expect(dataBytes(written)).toBeLessThan(dataBytes(readTflite(bytes)) * 0.6);
    const verifier = await createVerifier(bytes, 'tflite');
    try {
      expect((await verifier.verify(out, 'tflite')).worst.cosine).toBeGreaterThan(0.9999);
    } finally {
      await verifier.dispose();
    }
    const again = await float16.run(model, float16.options.parse({ minElements: 1 }), {});
    expect(again.changed).toBe(false);
    expect((again.notes ?? []).join(' ')).toMatch(/already stored in float16.*nothing was converted/);
  }, 180_000);
});
