import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkData } from '../../../src/engine/data/check-data';
import { writeGreyClassifier } from '../../e2e/support/tiny-models';
import { idxBytes, writeIdxFolder } from '../../helpers/idx-files';

const dir = mkdtempSync(join(tmpdir(), 'lithe-check-data-'));

function imageModel(size: number): string {
  const path = join(dir, `grey-${size}.onnx`);
  writeGreyClassifier(path, size);
  return path;
}

const idxFolder = (count: number, size: number): string => writeIdxFolder(join(dir, `idx-${count}-${size}`), count, size);

describe('checkData', () => {
  it('accepts a folder of IDX files: test split, its labels, sample count, shape and a preview', async () => {
    const result = await checkData({ model: imageModel(28), data: idxFolder(12, 28) });
    expect(result.ok).toBe(true);
    expect(result.path).toMatch(/t10k-images-idx3-ubyte\.gz$/);
    expect(result.samples).toBe(12);
    expect(result.labeled).toBe(true);
    expect(result.sampleShape).toEqual([1, 28, 28]);
    expect(result.modelShape).toEqual([1, 28, 28]);
    expect(result.preview).toHaveLength(6);
    expect(result.preview.map((sample) => sample.label)).toEqual([0, 1, 2, 3, 4, 5]);
    const first = result.preview[0];
    expect(first).toMatchObject({ width: 28, height: 28, channels: 1 });
    expect(first?.pixels).toHaveLength(28 * 28);
    expect(Math.max(...(first?.pixels ?? []))).toBe(255);
    expect(Math.min(...(first?.pixels ?? []))).toBe(0);
  });

  it('says why when the samples do not fit the model input', async () => {
    const result = await checkData({ model: imageModel(32), data: idxFolder(4, 28) });
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(/784 values \(28×28\).*1×32×32/);
    expect(result.modelShape).toEqual([1, 32, 32]);
    expect(result.preview).toEqual([]);
  });

  it('reports data that is missing or of an unknown kind as a problem, not an error', async () => {
    const model = imageModel(28);
    const missing = await checkData({ model, data: join(dir, 'nowhere') });
    expect(missing).toMatchObject({ ok: false, problem: expect.stringMatching(/does not exist/) });
    const strange = join(dir, 'notes.txt');
    writeFileSync(strange, 'not data');
    const unknown = await checkData({ model, data: strange });
    expect(unknown).toMatchObject({ ok: false, problem: expect.stringMatching(/Unknown data kind/) });
  });

  it('notes that data without labels can compare the models but not measure accuracy', async () => {
    const folder = idxFolder(3, 28);
    const result = await checkData({ model: imageModel(28), data: join(folder, 'train-images-idx3-ubyte.gz'), labels: undefined });
    expect(result.ok).toBe(true);
    expect(result.labeled).toBe(true);
    const alone = join(dir, 'alone-images.idx');
    writeFileSync(alone, idxBytes(0x08, [2, 28, 28], new Uint8Array(2 * 28 * 28)));
    const unlabeled = await checkData({ model: imageModel(28), data: alone });
    expect(unlabeled).toMatchObject({ ok: true, labeled: false, samples: 2 });
    expect(unlabeled.notes.join(' ')).toMatch(/not measure accuracy/);
  });
});
