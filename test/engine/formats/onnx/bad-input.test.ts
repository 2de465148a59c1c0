import { create, toBinary } from '@bufbuild/protobuf';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringStringEntryProtoSchema, TensorProtoSchema } from 'onnx-buf';
import { afterAll, describe, expect, it } from 'vitest';
import { LitheError } from '../../../../src/engine/errors';
import { readOnnx } from '../../../../src/engine/formats/onnx';
import { encode, floatTensor, graph, mlpModel, model, node, valueInfo, FLOAT } from '../../helpers/onnx-builders';
import { at } from '../../../helpers/at';

const dir = mkdtempSync(join(tmpdir(), 'lithe-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The MLP model with W (48 bytes) stored at `location`. */
function externalW(location: string): ReturnType<typeof mlpModel> {
  const m = mlpModel();
  const w = at(m.graph!.initializer, 0);
  delete (w as Partial<typeof w>).rawData;
  w.dataLocation = 1;
  w.externalData = [create(StringStringEntryProtoSchema, { key: 'location', value: location })];
  return m;
}

function failure(path: string): LitheError {
  try {
    readOnnx(path);
  } catch (error) {
    expect(error).toBeInstanceOf(LitheError);
    if (process.env.SHOW_ERRORS) console.log((error as Error).message);
    return error as LitheError;
  }
  throw new Error(`expected ${path} to be refused`);
}

describe('bad ONNX input gives clear errors naming the file', () => {
  it('truncated file', () => {
    const bytes = encode(mlpModel());
    const path = put('truncated.onnx', bytes.subarray(0, bytes.length - 20));
    const e = failure(path);
    expect(e.code).toBe('corrupt-model');
    expect(e.file).toBe(path);
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/truncated/);
  });

  it('random bytes', () => {
    let seed = 7;
    const bytes = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
    const path = put('random.onnx', bytes);
    const e = failure(path);
    expect(e.code).toBe('not-a-model');
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/not an ONNX model/);
  });

  it('empty file', () => {
    const e = failure(put('empty.onnx', new Uint8Array(0)));
    expect(e.message).toMatch(/empty/);
  });

  it('a protobuf that is not a model (a TensorProto)', () => {
    const path = put('tensor.onnx', toBinary(TensorProtoSchema, floatTensor('t', [2], [1, 2])));
    const e = failure(path);
    expect(e.code).toBe('not-a-model');
    expect(e.message).toContain(path);
  });

  it('a graph with a cycle', () => {
    const m = model(
      graph({
        node: [node('Add', ['x', 'b'], ['a'], [], 'first'), node('Relu', ['a'], ['b'], [], 'second')],
        input: [valueInfo('x', FLOAT, [1])],
        output: [valueInfo('b', FLOAT, [1])],
      }),
    );
    const path = put('cycle.onnx', encode(m));
    const e = failure(path);
    expect(e.code).toBe('corrupt-model');
    expect(e.message).toMatch(/cycle/);
    expect(e.message).toMatch(/'first'|'second'/);
  });

  it('a dimension of 2^40', () => {
    const m = mlpModel();
    at(m.graph!.initializer, 0).dims = [2n ** 40n, 3n];
    const path = put('huge-dim.onnx', encode(m));
    const e = failure(path);
    expect(e.code).toBe('corrupt-model');
    expect(e.message).toContain("tensor 'W'");
    expect(e.message).toContain('1099511627776');
    expect(e.message).toContain(path);
  });

  it('a tensor of 2^31 elements that holds no data', () => {
    const m = mlpModel();
    const w = at(m.graph!.initializer, 0);
    delete (w as Partial<typeof w>).rawData;
    w.dims = [2n ** 31n];
    const path = put('no-data.onnx', encode(m));
    const e = failure(path);
    expect(e.code).toBe('corrupt-model');
    expect(e.message).toContain("tensor 'W' has shape [2147483648]");
    expect(e.message).toContain('holds no data');
  });

  it('raw_data or typed values shorter than the dims', () => {
    for (const asRaw of [true, false]) {
      const m = mlpModel(asRaw);
      at(m.graph!.initializer, 0).dims = [65536n, 1n];
      const path = put(`short-${asRaw ? 'raw' : 'typed'}.onnx`, encode(m));
      const e = failure(path);
      expect(e.code).toBe('corrupt-model');
      expect(e.file).toBe(path);
      expect(e.message).toContain("tensor 'W' has shape [65536,1] (65536 elements of float32)");
      expect(e.message).toContain(asRaw ? '= 262144 bytes, but raw_data holds 48 bytes' : 'but holds 12 values');
    }
  });

  it('external data pointing outside the folder', () => {
    const sub = join(dir, 'model-dir');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(dir, 'secret.bin'), new Uint8Array(48));
    const path = join(sub, 'escape.onnx');
    writeFileSync(path, encode(externalW('../secret.bin')));
    const e = failure(path);
    expect(e.message).toMatch(/outside the model's folder/);
    expect(e.message).toContain('../secret.bin');
    expect(e.file).toBe(path);
  });

  it('external data with an absolute location', () => {
    const e = failure(put('absolute.onnx', encode(externalW('/etc/passwd'))));
    expect(e.message).toMatch(/outside the model's folder/);
  });

  it('external data through a symlink that leaves the folder', () => {
    const sub = join(dir, 'linked');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(dir, 'outside.bin'), new Uint8Array(48));
    symlinkSync(join(dir, 'outside.bin'), join(sub, 'weights.bin'));
    const path = join(sub, 'model.onnx');
    writeFileSync(path, encode(externalW('weights.bin')));
    expect(failure(path).message).toMatch(/links outside the model's folder/);
  });

  it('external data shorter than the tensor', () => {
    const sub = join(dir, 'short');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'weights.bin'), new Uint8Array(20));
    const path = join(sub, 'model.onnx');
    writeFileSync(path, encode(externalW('weights.bin')));
    expect(failure(path).message).toMatch(/tensor 'W'.*runs past the end of that file \(20 bytes\)/);
  });

  it('a missing external data file', () => {
    const path = put('no-weights.onnx', encode(externalW('missing.bin')));
    const e = failure(path);
    expect(e.code).toBe('not-found');
    expect(e.message).toMatch(/'missing.bin'.*does not exist/);
  });

  it('a missing file', () => {
    const e = failure(join(dir, 'nope.onnx'));
    expect(e.code).toBe('not-found');
  });
});
