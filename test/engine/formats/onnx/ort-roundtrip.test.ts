import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx, readOnnx, writeOnnx } from '../../../../src/engine/formats/onnx';
import { at, entry } from '../../../helpers/at';
import { encode, mlpModel } from '../../helpers/onnx-builders';

const dir = mkdtempSync(join(tmpdir(), 'lithe-ort-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(model: Uint8Array | string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model as Uint8Array);
  const x = new ort.Tensor('float32', Float32Array.from([1, -2, 3, 0.5, 0, 1, 2, 3]), [2, 4]);
  const out = await session.run({ x });
  await session.release();
  return entry(out, 'y', 'outputs').data as Float32Array;
}

describe('round trip through onnxruntime', () => {
  it('written model gives the same outputs as the original', async () => {
    const bytes = encode(mlpModel());
    const expected = await run(bytes);
    expect(await run(encodeOnnx(decodeOnnx(bytes)))).toEqual(expected);
  });

  it('a changed weight changes the outputs as expected', async () => {
    const model = decodeOnnx(encode(mlpModel()));
    const b = at(model.graph.initializers, 1);
    b.setBytes(new Uint8Array(Float32Array.from([100, 100, 100]).buffer));
    const out = await run(encodeOnnx(model));
    expect(Array.from(out).every((v) => v >= 90)).toBe(true);
  });

  it('writes weights to an external data file and reads them back', async () => {
    const src = join(dir, 'mlp.onnx');
    writeFileSync(src, encode(mlpModel()));
    const expected = await run(src);
    const out = join(dir, 'mlp-ext.onnx');
    writeOnnx(readOnnx(src), out, { externalData: { minBytes: 16 } });
    expect(readdirSync(dir).sort()).toEqual(['mlp-ext.onnx', 'mlp-ext.onnx.data', 'mlp.onnx']);
    expect(readFileSync(join(dir, 'mlp-ext.onnx.data')).byteLength).toBeGreaterThanOrEqual(48);
    expect(await run(out)).toEqual(expected);
    // External stays external on a plain re-write, into the new model's own data file.
    const again = join(dir, 'again.onnx');
    writeOnnx(readOnnx(out), again);
    expect(readdirSync(dir)).toContain('again.onnx.data');
    expect(await run(again)).toEqual(expected);
    // And can be pulled back inline.
    const inline = join(dir, 'inline.onnx');
    writeOnnx(readOnnx(out), inline, { externalData: 'inline' });
    expect(readdirSync(dir)).not.toContain('inline.onnx.data');
    expect(await run(inline)).toEqual(expected);
  });

  it('never overwrites the external data file the model is being read from', async () => {
    const sub = join(dir, 'collide');
    mkdirSync(sub);
    const first = join(sub, 'b.onnx');
    writeFileSync(join(sub, 'src.onnx'), encode(mlpModel()));
    writeOnnx(readOnnx(join(sub, 'src.onnx')), first, { externalData: { minBytes: 16 } });
    renameSync(first, join(sub, 'a.onnx')); // a.onnx now reads its weights from b.onnx.data
    const data = readFileSync(join(sub, 'b.onnx.data'));
    const expected = await run(join(sub, 'a.onnx'));
    writeOnnx(readOnnx(join(sub, 'a.onnx')), join(sub, 'b.onnx'));
    expect(readFileSync(join(sub, 'b.onnx.data'))).toEqual(data);
    expect(readdirSync(sub)).toContain('b.onnx.1.data');
    expect(await run(join(sub, 'a.onnx'))).toEqual(expected);
    expect(await run(join(sub, 'b.onnx'))).toEqual(expected);
  });

  it('refuses to write over the model being read, and leaves no temporary files', () => {
    const src = join(dir, 'keep.onnx');
    writeFileSync(src, encode(mlpModel()));
    const before = readFileSync(src);
    expect(() => writeOnnx(readOnnx(src), src)).toThrow(/refusing to write over/);
    expect(readFileSync(src)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
