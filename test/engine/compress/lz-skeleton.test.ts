import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePackage } from '../../../src/engine/compress/decoder';
import { ByteReader } from '../../../src/engine/compress/decoder/byte-reader';
import { decodeLzSkeleton } from '../../../src/engine/compress/decoder/lz-skeleton';
import { PackageError } from '../../../src/engine/compress/decoder/package-error';
import { ByteWriter } from '../../../src/engine/compress/package/byte-writer';
import { encodePackage } from '../../../src/engine/compress/package/encode-package';
import { findWeightSegments } from '../../../src/engine/compress/package/find-segments';
import { planLzSkeleton } from '../../../src/engine/compress/package/lz-skeleton';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { GraphBuilder, randomFloats } from '../passes/graph-builder';

function roundTrip(data: Uint8Array): number {
  const plan = planLzSkeleton(data);
  const w = new ByteWriter();
  plan.write(w);
  const coded = w.view().slice();
  expect(Math.abs(coded.length - plan.bytes)).toBeLessThanOrEqual(8);
  const out = decodeLzSkeleton(new ByteReader(coded, 'the skeleton'), data.length);
  expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
  return coded.length;
}

// A graph whose file is mostly names, as a quantized model's is: every layer adds a
// QuantizeLinear/DequantizeLinear pair named after a long exporter path.
function nameHeavyModel(layers: number): Uint8Array {
  const b = new GraphBuilder(13);
  let v = b.input('x', [1, 8]);
  for (let i = 0; i < layers; i++) {
    const base = `/encoder/layers.${i}/self_attention/output/dense`;
    v = b.op('Relu', [v], {}, `${base}/Relu_output_0`);
    const scale = b.weight(`${base}/Relu_output_0_scale`, [], [0.05]);
    const zero = b.ints(`${base}/Relu_output_0_zero_point`, [0], []);
    v = b.op('QuantizeLinear', [v, scale, zero], {}, `${base}/Relu_output_0_quantized`);
    v = b.op('DequantizeLinear', [v, scale, zero], {}, `${base}/Relu_output_0_dequantized`);
  }
  b.output(v, [1, 8]);
  return encodeOnnx(b.model);
}

describe('skeleton codec 2 (LZ77 sequences)', () => {
  it('round-trips repetitive, random, self-overlapping and tiny inputs', () => {
    const text = new TextEncoder().encode('/blocks/blocks.0/ff/ff.1/Mul_output_0_QuantizeLinear '.repeat(50));
    expect(roundTrip(text)).toBeLessThan(text.length / 10);
    const noise = Uint8Array.from(randomFloats(5000, 3), (v) => Math.floor((v + 1) * 128));
    roundTrip(noise);
    roundTrip(new Uint8Array(3000).fill(7));
    roundTrip(Uint8Array.from([1, 2, 3]));
    roundTrip(Uint8Array.from([9, 9, 9, 9, 9, 1, 9, 9, 9, 9, 9]));
  });

  it('packs a name-heavy model smaller than gzip does, and decodes it byte for byte', () => {
    const bytes = nameHeavyModel(300);
    const packed = encodePackage(bytes, findWeightSegments(bytes, 'onnx'), { format: 'onnx', name: 'm', encoder: 'tests' });
    expect(Buffer.from(decodePackage(packed.bytes).model).equals(Buffer.from(bytes))).toBe(true);
    expect(packed.bytes.length).toBeLessThan(gzipSync(bytes, { level: 9 }).length);
  });

  it('refuses a skeleton whose stretches do not fit its length, and a truncated one', () => {
    // "AAAAAAAA": one literal, then a stretch of 7 copied from 1 byte back
    const plan = planLzSkeleton(new Uint8Array(8).fill(65));
    const w = new ByteWriter();
    plan.write(w);
    const bytes = w.view().slice();
    expect(() => decodeLzSkeleton(new ByteReader(bytes, 'the skeleton'), 6)).toThrow(PackageError);
    expect(() => decodeLzSkeleton(new ByteReader(bytes, 'the skeleton'), 9)).toThrow(PackageError);
    expect(() => decodeLzSkeleton(new ByteReader(bytes.subarray(0, bytes.length - 2), 'the skeleton'), 8)).toThrow(PackageError);
  });
});
