import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../src/engine/compress/decoder/byte-reader';
import { halfToFloatBits } from '../../../src/engine/compress/decoder/codebook';
import { RansStream } from '../../../src/engine/compress/decoder/rans-decoder';
import { runSymbol, runValue } from '../../../src/engine/compress/decoder/run-lengths';
import { sha256 } from '../../../src/engine/compress/decoder/sha256';
import { ByteWriter } from '../../../src/engine/compress/package/byte-writer';
import { exactHalf } from '../../../src/engine/compress/package/element-values';
import { countSymbols, normalizeCounts, planStream, writeStream } from '../../../src/engine/compress/package/rans-encoder';
import { createHash } from 'node:crypto';

function skewed(count: number, alphabet: number, seed: number): Uint16Array {
  let s = seed;
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const u = s / 2 ** 32;
    out[i] = Math.min(alphabet - 1, Math.floor(-Math.log(1 - u) * 2)); // geometric-ish
  }
  return out;
}

describe('rANS streams', () => {
  it('decode to the symbols encoded, with one and two contexts, and come close to the entropy', () => {
    for (const [count, alphabet] of [
      [1, 1],
      [7, 3],
      [5000, 40],
      [20000, 300],
    ] as const) {
      const symbols = skewed(count, alphabet, count);
      const contexts = Uint8Array.from(symbols, (_, i) => (i > 0 && symbols[i - 1] === 0 ? 1 : 0));
      for (const ctx of [undefined, contexts]) {
        const plan = planStream(countSymbols(symbols, alphabet, ctx ? 2 : 1, ctx), alphabet);
        const w = new ByteWriter();
        writeStream(w, plan, symbols, ctx);
        expect(Math.abs(w.length - plan.bytes)).toBeLessThanOrEqual(4);
        const reader = new ByteReader(w.view(), 'test');
        const stream = RansStream.read(reader, alphabet, 2);
        const back = Array.from(symbols, (_, i) => stream.decode(ctx ? (ctx[i] as number) : 0));
        stream.finish();
        expect(back).toEqual(Array.from(symbols));
      }
    }
  });

  it('normalizes counts to the exact total, keeping every present symbol', () => {
    const counts = [1, 0, 1, 1000000, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    for (const total of [16, 64, 4096]) {
      const f = normalizeCounts(counts, total);
      expect(f.reduce((a, b) => a + b, 0)).toBe(total);
      counts.forEach((c, s) => expect(f[s]! > 0).toBe(c > 0));
    }
  });

  it('codes run lengths of every size through symbol and extra bits', () => {
    for (const d of [0, 3, 8])
      for (const v of [0, 1, 7, 8, 255, 256, 65535, 2 ** 31 - 1]) {
        const { symbol, bits, extra } = runSymbol(v, d);
        expect(runValue(symbol, d, (c) => (expect(c).toBe(bits), extra))).toBe(v);
      }
  });

  it('converts half precision exactly and finds only exact halves', () => {
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    for (const v of [0, -0, 1, -2.5, 65504, 2 ** -14, 2 ** -24, 3 * 2 ** -24, Infinity, -Infinity]) {
      f32[0] = v;
      const h = exactHalf(u32[0]!);
      expect(h, String(v)).toBeDefined();
      expect(halfToFloatBits(h!)).toBe(u32[0]);
    }
    for (const v of [0.1, 65520, 2 ** -25, 1 + 2 ** -11]) {
      f32[0] = v;
      expect(exactHalf(u32[0]!), String(v)).toBeUndefined();
    }
  });

  it('hashes like SHA-256', () => {
    for (const length of [0, 3, 55, 56, 64, 1000]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 31) & 0xff);
      expect(Buffer.from(sha256(data)).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});
