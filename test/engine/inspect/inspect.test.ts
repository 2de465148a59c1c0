import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { LitheError } from '../../../src/engine/errors';
import { convertModel, inspectModel } from '../../../src/engine/inspect';
import { encode, floatTensor, graph, intAttr, intsAttr, mlpModel, model, node, valueInfo, FLOAT } from '../helpers/onnx-builders';
import { at, entry } from '../../helpers/at';

const dir = mkdtempSync(join(tmpdir(), 'lithe-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cnn(): Uint8Array {
  return encode(
    model(
      graph({
        node: [
          node('Conv', ['x', 'w', 'wb'], ['c'], [intsAttr('pads', [1, 1, 1, 1])], 'conv'),
          node('Relu', ['c'], ['r'], [], 'relu'),
          node('GlobalAveragePool', ['r'], ['p'], [], 'gap'),
          node('Flatten', ['p'], ['f'], [], 'flat'),
          node('Gemm', ['f', 'fc', 'fcb'], ['y'], [intAttr('transB', 1)], 'fc'),
        ],
        initializer: [
          floatTensor('w', [4, 3, 3, 3], new Array(108).fill(0.01)),
          floatTensor('wb', [4], [0, 0, 0, 0]),
          floatTensor('fc', [5, 4], new Array(20).fill(0.1)),
          floatTensor('fcb', [5], new Array(5).fill(0)),
        ],
        input: [valueInfo('x', FLOAT, ['batch', 3, 8, 8])],
        output: [valueInfo('y', FLOAT, ['batch', 5])],
      }),
    ),
  );
}

describe('inspectModel', () => {
  it('summarises a small CNN', () => {
    const path = join(dir, 'cnn.onnx');
    writeFileSync(path, cnn());
    const s = inspectModel(path);
    expect(s.format).toBe('onnx');
    expect(s.producer).toBe('lithe-tests');
    expect(s.irVersion).toBe(8);
    expect(s.opsets).toEqual({ 'ai.onnx': 13 });
    expect(s.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: ['batch', 3, 8, 8] }]);
    expect(s.outputs).toEqual([{ name: 'y', dtype: 'float32', shape: ['batch', 5] }]);
    expect(s.nodeCount).toBe(5);
    expect(s.opCounts).toEqual({ Conv: 1, Relu: 1, GlobalAveragePool: 1, Flatten: 1, Gemm: 1 });
    expect(s.paramCount).toBe(108 + 4 + 20 + 5);
    expect(s.weightBytesByDtype).toEqual({ float32: 137 * 4 });
    expect(s.sizeBytes).toBe(readFileSync(path).byteLength);
    // Conv: 4×8×8 outputs × 3×3×3 ; Gemm: 5 outputs × 4 ; batch counted as 1.
    expect(s.macsByOp).toEqual({ Conv: 4 * 64 * 27, Gemm: 20 });
    expect(s.macs).toBe(4 * 64 * 27 + 20);
    expect(s.macsNotes.join()).toMatch(/batch/);
    expect(s.largestTensors[0]).toEqual({ name: 'w', dtype: 'float32', shape: [4, 3, 3, 3], bytes: 432 });
    expect(s.nodes[0]).toMatchObject({ type: 'Conv', name: 'conv', attributes: { pads: '[1, 1, 1, 1]' } });
    expect(at(at(s.nodes, 0).outputs, 0)).toEqual({ name: 'c', shape: 'float32[batch,4,8,8]' });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('refuses a file that is not a model, naming it', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'hello, this is not a model');
    expect(() => inspectModel(path)).toThrow(LitheError);
    expect(() => inspectModel(path)).toThrow(path);
  });
});

describe('convertModel', () => {
  it('writes an ONNX copy that onnxruntime runs identically', async () => {
    const src = join(dir, 'mlp.onnx');
    writeFileSync(src, encode(mlpModel()));
    const out = join(dir, 'out', '..', 'mlp-copy.onnx');
    const result = await convertModel(src, out);
    expect(result).toMatchObject({ fromFormat: 'onnx', toFormat: 'onnx' });
    const run = async (p: string): Promise<Float32Array> => {
      const s = await ort.InferenceSession.create(p);
      const r = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]) });
      await s.release();
      return entry(r, 'y', 'outputs').data as Float32Array;
    };
    expect(await run(out)).toEqual(await run(src));
    expect(readFileSync(out)).toEqual(readFileSync(src));
  });

  it('never writes over the input, also through a symlink', async () => {
    const src = join(dir, 'keep.onnx');
    writeFileSync(src, encode(mlpModel()));
    const link = join(dir, 'link.onnx');
    symlinkSync(src, link);
    await expect(convertModel(src, src)).rejects.toThrow(/never writes over its input/);
    await expect(convertModel(src, link)).rejects.toThrow(/never writes over its input/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an output extension it cannot write', async () => {
    const src = join(dir, 'mlp2.onnx');
    writeFileSync(src, encode(mlpModel()));
    await expect(convertModel(src, join(dir, 'mlp2.bin'))).rejects.toThrow(/extension/);
  });
});
