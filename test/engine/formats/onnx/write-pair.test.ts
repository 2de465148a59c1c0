import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOnnx, readOnnx, writeOnnx } from '../../../../src/engine/formats/onnx';
import { encode, mlpModel } from '../../helpers/onnx-builders';

// A model with external data is two files: they must appear together or not at all.
const dir = mkdtempSync(join(tmpdir(), 'lithe-pair-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const EXTERNAL = { externalData: { minBytes: 16 } } as const;

function folder(name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  return path;
}

describe('writing a model and its external data', () => {
  it('leaves no .data behind when the model cannot be put in place', () => {
    const out = folder('blocked');
    // A folder where the model should go: the data rename succeeds, the model rename fails.
    mkdirSync(join(out, 'm.onnx'));
    writeFileSync(join(out, 'm.onnx', 'keep.txt'), 'the user’s file');
    expect(() => writeOnnx(decodeOnnx(encode(mlpModel())), join(out, 'm.onnx'), EXTERNAL)).toThrow(/could not write the model/);
    expect(readdirSync(out)).toEqual(['m.onnx']);
    expect(readdirSync(join(out, 'm.onnx'))).toEqual(['keep.txt']);
  });

  it('puts back the data file an earlier model used when the new pair cannot be placed', () => {
    const out = folder('earlier');
    const earlier = join(out, 'm.onnx');
    writeOnnx(decodeOnnx(encode(mlpModel())), earlier, EXTERNAL);
    const data = readFileSync(join(out, 'm.onnx.data'));
    // Replace the earlier model by a folder, so only the data rename of the next write succeeds.
    rmSync(earlier);
    mkdirSync(earlier);
    const changed = decodeOnnx(encode(mlpModel()));
    const weight = changed.graph.initializers[0];
    weight?.setBytes(new Uint8Array(weight.byteLength).fill(7));
    expect(() => writeOnnx(changed, earlier, EXTERNAL)).toThrow(/could not write the model/);
    expect(readFileSync(join(out, 'm.onnx.data'))).toEqual(data);
    expect(readdirSync(out).sort()).toEqual(['m.onnx', 'm.onnx.data']);
  });

  it('replaces an earlier pair as a whole and leaves no temporary or set-aside files', () => {
    const out = folder('replace');
    const path = join(out, 'm.onnx');
    writeOnnx(decodeOnnx(encode(mlpModel())), path, EXTERNAL);
    const first = readFileSync(join(out, 'm.onnx.data'));
    const model = decodeOnnx(encode(mlpModel()));
    const weight = model.graph.initializers[0];
    weight?.setBytes(new Uint8Array(weight.byteLength).fill(7));
    writeOnnx(model, join(dir, 'replace-src.onnx'));
    writeOnnx(readOnnx(join(dir, 'replace-src.onnx')), path, EXTERNAL);
    expect(readdirSync(out).sort()).toEqual(['m.onnx', 'm.onnx.data']);
    expect(readFileSync(join(out, 'm.onnx.data')).equals(first)).toBe(false);
    expect(readOnnx(path).graph.initializers[0]?.bytes()).toEqual(new Uint8Array(weight?.byteLength ?? 0).fill(7));
  });
});
