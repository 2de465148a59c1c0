import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { LitheError } from '../../../../src/engine/errors';
import { createOnnxSession, declaredInputs, DEFAULT_ORT_CONFIG } from '../../../../src/engine/runtime/onnx';
import { PPOCR_CLS_ONNX } from '../../../fixtures/real-models';
import { legacyOpset1, modelFolder, notAModel } from '../../bench/tiny-models';

const folder = modelFolder();
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function failure(path: string, config = DEFAULT_ORT_CONFIG): Promise<LitheError> {
  try {
    await createOnnxSession(path, config);
  } catch (error) {
    if (error instanceof LitheError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('ONNX Runtime sessions', () => {
  it('load a real model with the requested options', async () => {
    const { session, createMs, bytes } = await createOnnxSession(PPOCR_CLS_ONNX, { ...DEFAULT_ORT_CONFIG, threads: 2, optLevel: 'basic' });
    expect(createMs).toBeGreaterThan(0);
    expect(bytes).toBeGreaterThan(100_000);
    expect(declaredInputs(session)[0]).toMatchObject({ name: 'x', dtype: 'float32' });
    await session.release();
  });

  it('refuse an opset-1 model with a clear "cannot run in this runtime" error naming the file', async () => {
    const path = legacyOpset1(folder);
    const error = await failure(path);
    expect(error.code).toBe('unsupported');
    expect(error.file).toBe(path);
    expect(error.message).toContain('cannot run in this runtime');
  });

  it('name the file for missing files, non-models and unknown execution providers', async () => {
    expect((await failure(`${folder}/missing.onnx`)).code).toBe('not-found');
    const text = notAModel(folder);
    const notModel = await failure(text);
    expect(notModel.code).toBe('not-a-model');
    expect(notModel.file).toBe(text);
    expect((await failure(PPOCR_CLS_ONNX, { ...DEFAULT_ORT_CONFIG, executionProvider: 'no-such-ep' })).code).toBe('unsupported');
  });
});
