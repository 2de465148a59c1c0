import { describe, expect, it } from 'vitest';
import { LitheError } from '../../../../src/engine/errors';
import { readTflite, writeTflite } from '../../../../src/engine/formats/tflite';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { CallOnceOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/call-once-options';
import { WhileOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/while-options';
import type { TfliteModel } from '../../../../src/engine/formats/tflite/tflite-model';
import { addModel, builtinCode, fullyConnectedModel, operator, tensor } from '../../helpers/tflite-builders';
import { at } from '../../../helpers/at';

const FILE = 'broken.tflite';

function readError(bytes: Uint8Array): LitheError {
  try {
    readTflite(bytes, { file: FILE });
  } catch (error) {
    if (error instanceof LitheError) return error;
    throw new Error(`expected a LitheError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the read to fail');
}

function withSubgraphCalls(
  calls: { from: number; whileCond: number; whileBody: number }[],
  callOnce?: { from: number; init: number },
): TfliteModel {
  const model = addModel();
  const base = at(model.subgraphs, 0);
  model.operatorCodes.push(builtinCode(BuiltinOperator.WHILE), builtinCode(BuiltinOperator.CALL_ONCE));
  model.subgraphs = [0, 1, 2].map((i) => ({ ...base, name: `g${i}`, operators: [...base.operators] }));
  for (const c of calls) {
    at(model.subgraphs, c.from).operators.push(
      operator(1, [0], [2], {
        builtinOptions: { type: BuiltinOptions.WhileOptions, table: new WhileOptionsT(c.whileCond, c.whileBody), absentVectors: [] },
      }),
    );
  }
  if (callOnce) {
    at(model.subgraphs, callOnce.from).operators.push(
      operator(2, [], [], {
        builtinOptions: { type: BuiltinOptions.CallOnceOptions, table: new CallOnceOptionsT(callOnce.init), absentVectors: [] },
      }),
    );
  }
  return model;
}

describe('TFLite reader on corrupt input', () => {
  it('rejects bytes without the TFL3 identifier', () => {
    const error = readError(new TextEncoder().encode('definitely not a model'));
    expect(error.code).toBe('not-a-model');
    expect(error.message).toContain(FILE);
  });

  it('fails cleanly on every truncation of a model', () => {
    const bytes = writeTflite(
      fullyConnectedModel(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [1, 2],
      ),
    );
    for (let length = 8; length < bytes.length; length++) {
      try {
        readTflite(bytes.slice(0, length), { file: FILE });
      } catch (error) {
        expect(error).toBeInstanceOf(LitheError);
        expect((error as LitheError).message).toContain(FILE);
      }
    }
    const error = readError(bytes.slice(0, Math.floor(bytes.length / 2)));
    expect(error.code).toBe('corrupt-model');
    expect(error.message).toMatch(/corrupt or truncated/);
  });

  it('names an offset that points outside the file', () => {
    const bytes = writeTflite(addModel());
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, 0x7fff0000, true);
    const error = readError(bytes);
    expect(error.code).toBe('corrupt-model');
    expect(error.message).toMatch(/outside the file/);
  });

  it('refuses a vector that claims 2^31 elements instead of allocating or looping', () => {
    const bytes = writeTflite(
      fullyConnectedModel(
        [
          [1, 2],
          [3, 4],
        ],
        [0, 0],
      ),
    );
    const weights = at(readTflite(bytes).buffers, 1).data!;
    const lengthAt = weights.byteOffset - bytes.byteOffset - 4;
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(lengthAt, 2 ** 31, true);
    const error = readError(bytes);
    expect(error.code).toBe('corrupt-model');
    expect(error.message).toMatch(/2147483648 elements/);
  });

  it('survives random byte damage with either a model or a LitheError', () => {
    const original = writeTflite(
      fullyConnectedModel(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [1, 2],
      ),
    );
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let trial = 0; trial < 2000; trial++) {
      const bytes = original.slice();
      for (let k = 0; k < 3; k++) bytes[8 + Math.floor(random() * (bytes.length - 8))] = Math.floor(random() * 256);
      try {
        readTflite(bytes, { file: FILE });
      } catch (error) {
        if (!(error instanceof LitheError)) throw new Error(`trial ${trial}: ${String(error)}`, { cause: error });
      }
    }
  });

  it('reports a subgraph that calls itself through WHILE', () => {
    const error = readError(writeTflite(withSubgraphCalls([{ from: 1, whileCond: 2, whileBody: 1 }])));
    expect(error.code).toBe('corrupt-model');
    expect(error.message).toMatch(/cycle \(1 → 1\)/);
  });

  it('reports a cycle through CALL_ONCE and WHILE across subgraphs', () => {
    const error = readError(writeTflite(withSubgraphCalls([{ from: 0, whileCond: 1, whileBody: 2 }], { from: 2, init: 0 })));
    expect(error.message).toMatch(/cycle \(0 → 2 → 0\)/);
  });

  it('accepts a legitimate WHILE', () => {
    expect(() => readTflite(writeTflite(withSubgraphCalls([{ from: 0, whileCond: 1, whileBody: 2 }])))).not.toThrow();
  });

  it('reports indices out of range', () => {
    const model = addModel();
    at(at(model.subgraphs, 0).operators, 0).inputs = [0, 7];
    expect(readError(writeTflite(model)).message).toMatch(/operator 0's input refers to tensor 7, but there are 3 tensors/);
    const codes = addModel();
    at(at(codes.subgraphs, 0).operators, 0).opcodeIndex = 4;
    expect(readError(writeTflite(codes)).message).toMatch(/operator code 4/);
    const buffers = addModel();
    at(buffers.subgraphs, 0).tensors[0] = tensor('a', [1, 4], 0, { buffer: 9 });
    expect(readError(writeTflite(buffers)).message).toMatch(/buffer 9/);
    const calls = withSubgraphCalls([{ from: 0, whileCond: 1, whileBody: 5 }]);
    expect(readError(writeTflite(calls)).message).toMatch(/calls subgraph 5/);
  });

  it('refuses a constant whose buffer is shorter than its shape needs, naming the tensor and both sizes', () => {
    // A 2×2 float weight (16 bytes) whose shape claims 65536×1 floats (262144 bytes).
    const model = fullyConnectedModel(
      [
        [1, 2],
        [3, 4],
      ],
      [0, 0],
    );
    const w = at(at(model.subgraphs, 0).tensors, 1);
    w.shape = [65536, 1];
    const e = readError(writeTflite(model));
    expect(e.code).toBe('corrupt-model');
    expect(e.file).toBe(FILE);
    expect(e.message).toContain('tensor 1 (w) has shape [65536,1] (65536 elements of float32) = 262144 bytes');
    expect(e.message).toContain('its buffer 1 holds 16 bytes');
    // Dimensions whose product passes 2^53 are counted exactly, not rounded into a match.
    w.shape = [2 ** 31 - 1, 2 ** 31 - 1, 4];
    expect(readError(writeTflite(model)).message).toContain('(18446744056529682436 elements of float32)');
  });

  it('refuses a constant with a negative dimension, and accepts a buffer longer than needed', () => {
    const model = fullyConnectedModel([[1, 2]], [0]);
    const w = at(at(model.subgraphs, 0).tensors, 1);
    w.shape = [-1, 2];
    expect(readError(writeTflite(model)).message).toContain('tensor 1 (w) is a constant with a negative dimension (shape [-1,2])');
    w.shape = [1, 1];
    expect(() => readTflite(writeTflite(model))).not.toThrow();
  });
});
