import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packModelFile, unpackModelFile } from '../../../src/engine/compress/package/pack-file';
import { decodeOnnx, writeOnnx } from '../../../src/engine/formats/onnx';
import { LitheError } from '../../../src/engine/errors';
import { packableOnnx } from './package-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'lithe-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(run: () => unknown): LitheError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LitheError);
    return error as LitheError;
  }
  throw new Error('expected a LitheError');
}

describe('lithe pack / unpack files', () => {
  const model = join(dir, 'model.onnx');
  writeFileSync(model, packableOnnx());

  it('packs and unpacks to the identical file, leaving no temporary files', () => {
    const pack = packModelFile(model, join(dir, 'model.lithe'));
    expect(pack.packageBytes).toBeLessThan(pack.originalBytes);
    expect(pack.tensors.length).toBeGreaterThan(5);
    const unpack = unpackModelFile(join(dir, 'model.lithe'), join(dir, 'back.onnx'));
    expect(unpack.sha256).toBe(pack.sha256);
    expect(readFileSync(join(dir, 'back.onnx')).equals(readFileSync(model))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('never writes over the input, nor over an existing file unless asked', () => {
    expect(failure(() => packModelFile(model, model)).message).toMatch(/never writes over its input/);
    const existing = join(dir, 'existing.lithe');
    writeFileSync(existing, 'keep me');
    expect(failure(() => packModelFile(model, existing)).message).toMatch(/already exists/);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    packModelFile(model, existing, { replace: true });
    expect(readFileSync(existing).subarray(1, 6).toString()).toBe('LITHE');
  });

  it('names the file and the problem for damaged packages, non-models and wrong output names', () => {
    const packed = readFileSync(join(dir, 'model.lithe'));
    const damaged = join(dir, 'damaged.lithe');
    writeFileSync(damaged, packed.subarray(0, packed.length - 10));
    const error = failure(() => unpackModelFile(damaged, join(dir, 'x.onnx')));
    expect(error).toMatchObject({ code: 'corrupt-model', file: damaged });
    expect(error.message).toMatch(/truncated/);
    expect(existsSync(join(dir, 'x.onnx'))).toBe(false);
    expect(failure(() => unpackModelFile(model, join(dir, 'y.onnx'))).message).toMatch(/not a \.lithe package/);
    expect(failure(() => packModelFile(join(dir, 'model.lithe'), join(dir, 'z.lithe'))).message).toMatch(/already a \.lithe package/);
    expect(failure(() => unpackModelFile(join(dir, 'model.lithe'), join(dir, 'y.tflite'))).message).toMatch(/name the output \.onnx/);
    expect(failure(() => packModelFile(join(dir, 'missing.onnx'), join(dir, 'm.lithe')))).toMatchObject({ code: 'not-found' });
  });

  it('refuses a model with external data clearly', () => {
    const sub = join(dir, 'external');
    mkdirSync(sub);
    writeOnnx(decodeOnnx(packableOnnx()), join(sub, 'ext.onnx'), { externalData: { minBytes: 100 } });
    expect(failure(() => packModelFile(join(sub, 'ext.onnx'), join(sub, 'ext.lithe'))).message).toMatch(
      /external data file; packing models with external data is not supported/,
    );
  });
});
