import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifyFile } from '../../../src/engine/files/identify-file';
import { LitheError } from '../../../src/engine/errors';
import { FACE_SHORT_TFLITE, PPOCR_CLS_ONNX } from '../../fixtures/real-models';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lithe-identify-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

describe('identifyFile', () => {
  it('recognises a real ONNX model by content and hashes it', async () => {
    const facts = await identifyFile(PPOCR_CLS_ONNX);
    expect(facts.format).toBe('onnx');
    expect(facts.sizeBytes).toBe(578_966);
    expect(facts.sha256).toBe(await sha256(PPOCR_CLS_ONNX));
  });

  it('recognises a real TFLite model by content', async () => {
    const facts = await identifyFile(FACE_SHORT_TFLITE);
    expect(facts.format).toBe('tflite');
    expect(facts.name).toBe('face_detection_short_range.tflite');
  });

  it('recognises a model whatever its file name', async () => {
    const renamed = join(dir, 'weights.bin');
    await writeFile(renamed, await readFile(PPOCR_CLS_ONNX));
    expect((await identifyFile(renamed)).format).toBe('onnx');
  });

  it('says a text file is not a model, with a reason', async () => {
    const text = join(dir, 'notes.onnx');
    await writeFile(text, 'hello, this is not a model\n');
    const facts = await identifyFile(text);
    expect(facts.format).toBeNull();
    expect(facts.reason).toMatch(/neither an ONNX model/);
  });

  it('says a truncated ONNX model is truncated', async () => {
    const bytes = await readFile(PPOCR_CLS_ONNX);
    const truncated = join(dir, 'truncated.onnx');
    await writeFile(truncated, bytes.subarray(0, bytes.length - 1000));
    const facts = await identifyFile(truncated);
    expect(facts.format).toBeNull();
    expect(facts.reason).toMatch(/truncated/);
  });

  it('says an empty file is empty', async () => {
    const empty = join(dir, 'empty.tflite');
    await writeFile(empty, '');
    expect(await identifyFile(empty)).toMatchObject({ format: null, reason: 'The file is empty.', sizeBytes: 0 });
  });

  it('refuses random bytes', async () => {
    const random = join(dir, 'random.bin');
    const bytes = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    await writeFile(random, bytes);
    expect((await identifyFile(random)).format).toBeNull();
  });

  it('names the file when it does not exist or is a folder', async () => {
    const missing = join(dir, 'missing.onnx');
    await expect(identifyFile(missing)).rejects.toThrow(`${missing}: No such file.`);
    await mkdir(join(dir, 'folder'));
    const error = await identifyFile(join(dir, 'folder')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LitheError);
    expect((error as LitheError).code).toBe('invalid-argument');
  });

  it('stops when cancelled', async () => {
    await expect(identifyFile(PPOCR_CLS_ONNX, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' });
  });
});
