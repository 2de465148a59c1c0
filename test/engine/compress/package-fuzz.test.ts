import { describe, expect, it } from 'vitest';
import { decodePackage, PackageError } from '../../../src/engine/compress/decoder';
import { crc32 } from '../../../src/engine/compress/decoder/crc32';
import { HEADER_BYTES, SECTION_ENTRY_BYTES } from '../../../src/engine/compress/decoder/format';
import { readPackageHeader } from '../../../src/engine/compress/decoder/decode-package';
import { encodePackage } from '../../../src/engine/compress/package/encode-package';
import { findWeightSegments } from '../../../src/engine/compress/package/find-segments';
import { packableOnnx } from './package-fixtures';

function samplePackage(): Uint8Array {
  const model = packableOnnx();
  return encodePackage(model, findWeightSegments(model, 'onnx'), { format: 'onnx', name: 'm.onnx', encoder: 'tests' }).bytes;
}

/** A small seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Rewrites every checksum so damage reaches the decoders behind them (a hostile package, not a noisy copy). */
function fixChecksums(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(12, true);
  const tableEnd = HEADER_BYTES + count * SECTION_ENTRY_BYTES;
  if (tableEnd > bytes.length) return;
  let offset = tableEnd;
  for (let i = 0; i < count; i++) {
    const entry = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const length = view.getUint32(entry + 4, true);
    if (offset + length > bytes.length) return;
    view.setUint32(entry + 8, crc32(bytes.subarray(offset, offset + length)), true);
    offset += length;
  }
  view.setUint32(HEADER_BYTES - 4, crc32(bytes.subarray(HEADER_BYTES, tableEnd), crc32(bytes.subarray(0, HEADER_BYTES - 4))), true);
}

function expectPackageError(bytes: Uint8Array): PackageError {
  try {
    decodePackage(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(PackageError);
    return error as PackageError;
  }
  throw new Error('a damaged package decoded without an error');
}

describe('damaged .lithe packages', () => {
  const good = samplePackage();

  it('refuses every truncation with a message that says so', () => {
    for (let length = 0; length < good.length; length++) {
      const error = expectPackageError(good.subarray(0, length));
      if (length >= 8) expect(error.code, `length ${length}`).toBe('truncated');
    }
    expect(expectPackageError(new Uint8Array([...good, 0])).message).toMatch(/unexpected bytes after its last section/);
  });

  it('refuses random byte damage, naming the damaged part', () => {
    const next = random(42);
    for (let round = 0; round < 400; round++) {
      const bytes = good.slice();
      const at = Math.floor(next() * bytes.length);
      bytes[at] = (bytes[at] as number) ^ (1 + Math.floor(next() * 255));
      const error = expectPackageError(bytes);
      expect(error.message).toMatch(/package|section/);
    }
  });

  it('never crashes, hangs or returns a wrong model when the checksums are forged too', () => {
    const next = random(7);
    const header = readPackageHeader(good);
    const payloadStart = header.sections[0]?.offset ?? HEADER_BYTES;
    let refused = 0;
    for (let round = 0; round < 1500; round++) {
      const bytes = good.slice();
      const flips = 1 + Math.floor(next() * 4);
      for (let k = 0; k < flips; k++) {
        const at = payloadStart + Math.floor(next() * (bytes.length - payloadStart));
        bytes[at] = Math.floor(next() * 256);
      }
      fixChecksums(bytes);
      try {
        const { model } = decodePackage(bytes);
        // Only a change that decodes to the very same model may pass (the SHA-256 check).
        expect(model.length).toBe(header.originalLength);
      } catch (error) {
        if (!(error instanceof PackageError)) throw error;
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(1400);
  });

  it('says what is wrong with a foreign file, a newer version and a zip bomb', () => {
    expect(expectPackageError(new TextEncoder().encode('PK\u0003\u0004 not a package')).code).toBe('not-a-package');
    const newer = good.slice();
    newer[8] = 2;
    fixChecksums(newer);
    expect(expectPackageError(newer).message).toMatch(/format version 2/);
    expect(() => decodePackage(good, { maxOutputBytes: 100 })).toThrow(/more than the 100 bytes allowed/);
  });
});
