import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePackage } from '../../../src/engine/compress/decoder';
import { encodePackage } from '../../../src/engine/compress/package/encode-package';
import { findWeightSegments } from '../../../src/engine/compress/package/find-segments';
import { writeTflite } from '../../../src/engine/formats/tflite';
import { FACE_FULL_SPARSE_TFLITE, PPOCR_CLS_ONNX } from '../../fixtures/real-models';
import { smallCnnModel } from '../helpers/tflite-builders';
import { packableOnnx } from './package-fixtures';

const INFO = { format: 'test', name: 'model', encoder: 'tests' };

function roundTrip(bytes: Uint8Array, format: 'onnx' | 'tflite') {
  const segments = findWeightSegments(bytes, format);
  const packed = encodePackage(bytes, segments, INFO);
  const decoded = decodePackage(packed.bytes);
  expect(Buffer.from(decoded.model).equals(Buffer.from(bytes))).toBe(true);
  expect(decoded.info).toEqual(INFO);
  return { segments, packed };
}

describe('.lithe package round trip', () => {
  it('finds every tensor of an ONNX model (initializers, Constant nodes, If branches) and decodes byte for byte', () => {
    const bytes = packableOnnx();
    const { segments, packed } = roundTrip(bytes, 'onnx');
    expect(segments.map((s) => s.name).sort()).toEqual(['b1', 'b2', 'cond', 'else_k', 'scale16', 'shape', 'then_k', 'w1', 'w2'].sort());
    const w1 = packed.tensors.find((t) => t.name === 'w1');
    expect(['sparse', 'codebook']).toContain(w1?.coding);
    expect(w1?.distinct).toBe(17);
    // 2048 elements at 90 % zeros with 16 values: well under a quarter of the 8 KB of float32.
    expect(w1?.packageBytes).toBeLessThan(8192 / 4);
    expect(packed.tensors.find((t) => t.name === 'then_k')?.coding).not.toBe('planes');
    expect(packed.bytes.length).toBeLessThan(bytes.length);
  });

  it('round-trips a TFLite model built here and real models from the test dependencies', () => {
    roundTrip(writeTflite(smallCnnModel()), 'tflite');
    roundTrip(new Uint8Array(readFileSync(FACE_FULL_SPARSE_TFLITE)), 'tflite');
    const { packed } = roundTrip(new Uint8Array(readFileSync(PPOCR_CLS_ONNX)), 'onnx');
    expect(packed.tensors.some((t) => t.coding === 'planes')).toBe(true);
  });

  it('keeps a tensor in the skeleton when coding would not make it smaller, and says so', () => {
    const { packed } = roundTrip(packableOnnx(), 'onnx');
    const cond = packed.tensors.find((t) => t.name === 'cond');
    expect(cond).toMatchObject({ coding: 'raw', bytes: 1, packageBytes: 1 });
  });

  it('writes the same package for the same model (no time stamps)', () => {
    const bytes = packableOnnx();
    const a = encodePackage(bytes, findWeightSegments(bytes, 'onnx'), INFO).bytes;
    const b = encodePackage(bytes, findWeightSegments(bytes, 'onnx'), INFO).bytes;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
