import { BitReader } from './bit-reader';
import type { ByteReader } from './byte-reader';
import { RansStream } from './rans-decoder';
import { runAlphabetSize, runValue } from './run-lengths';

/**
 * Reads `count` non-negative integers stored as run symbols: `u8 d` (direct run bits, 0–16), one
 * rANS stream of `count` symbols (1 context), `varint k` and `k` bytes of extra bits.
 */
export function readRunValues(reader: ByteReader, count: number): Uint32Array {
  const directBits = reader.u8();
  if (directBits > 16) throw reader.fail(`${directBits} direct run bits is more than 16`);
  const symbols = RansStream.read(reader, runAlphabetSize(directBits), 1);
  const bits = new BitReader(reader.take(reader.varintAtMost(reader.remaining, 'the extra bits length')), reader);
  const values = new Uint32Array(count);
  for (let j = 0; j < count; j++) values[j] = runValue(symbols.decode(), directBits, (c) => bits.read(c));
  symbols.finish();
  bits.finish();
  return values;
}
