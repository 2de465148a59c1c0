import { create } from '@bufbuild/protobuf';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringStringEntryProtoSchema } from 'onnx-buf';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnnx, writeOnnx } from '../../../src/engine/formats/onnx';
import { convertModel } from '../../../src/engine/inspect/convert-model';
import { encode, mlpModel } from '../helpers/onnx-builders';
import { at } from '../../helpers/at';

const dir = mkdtempSync(join(tmpdir(), 'lithe-external-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** m.onnx whose weight W lives in `dataName` (named like a model on purpose), as exporters write it. */
function modelWithExternalWeights(dataName: string): { model: string; data: string; bytes: Buffer } {
  const proto = mlpModel();
  const w = at(proto.graph!.initializer, 0);
  const bytes = Buffer.from(w.rawData);
  delete (w as Partial<typeof w>).rawData;
  w.dataLocation = 1;
  w.externalData = [create(StringStringEntryProtoSchema, { key: 'location', value: dataName })];
  const model = join(dir, 'm.onnx');
  const data = join(dir, dataName);
  writeFileSync(model, encode(proto));
  writeFileSync(data, bytes);
  return { model, data, bytes };
}

describe('a model’s external data file is an input', () => {
  it('convert m.onnx w.onnx, where w.onnx holds m’s weights, is refused and leaves the weights as they were', async () => {
    const { model, data, bytes } = modelWithExternalWeights('w.onnx');
    await expect(convertModel(model, data)).rejects.toThrow(/own external data file; Lithe never writes over its input/);
    expect(readFileSync(data).equals(bytes)).toBe(true);
  });

  it('converting to TFLite over it is refused too, and the ONNX writer refuses it whoever calls it', async () => {
    const { model, data, bytes } = modelWithExternalWeights('w.tflite');
    await expect(convertModel(model, data)).rejects.toThrow(/own external data file/);
    const onnxData = modelWithExternalWeights('weights.onnx');
    expect(() => writeOnnx(readOnnx(onnxData.model), onnxData.data)).toThrow(/own external data file/);
    expect(readFileSync(data).equals(bytes)).toBe(true);
    expect(readFileSync(onnxData.data).equals(onnxData.bytes)).toBe(true);
  });
});
