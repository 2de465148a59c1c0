// Skeleton codec 2: LZ77 sequences, entropy-coded. The skeleton is the model file without its coded
// tensors — names, shapes, attributes, small tensors — and repeats itself (every QuantizeLinear's
// value names share a prefix with its layer), which an order-0 coder cannot use.
//
//   varint s (sequences), varint l (literal bytes in all),
//   when l > 0: one rANS stream of l bytes (alphabet 256, 1 context),
//   when s > 0: three run-value blocks of s values each (see run-values.ts):
//     literal count before each match, match length − MIN_MATCH, match distance (0: the same
//     distance as the sequence before).
// Sequence j copies its literals, then `length` bytes starting `distance` bytes back (the copy may
// overlap itself). Literals left after the last sequence end the skeleton.
import type { ByteReader } from './byte-reader';
import { RansStream } from './rans-decoder';
import { readRunValues } from './run-values';

/** Shortest match the encoder writes. */
export const MIN_MATCH = 4;

/** Decodes an LZ-coded skeleton of `length` bytes. */
export function decodeLzSkeleton(reader: ByteReader, length: number): Uint8Array {
  const sequences = reader.varintAtMost(length, 'the count of repeated stretches');
  const literalCount = reader.varintAtMost(length, 'the count of literal bytes');
  const literals = literalCount > 0 ? RansStream.read(reader, 256, 1) : undefined;
  const [runs, lengths, distances] =
    sequences > 0
      ? [readRunValues(reader, sequences), readRunValues(reader, sequences), readRunValues(reader, sequences)]
      : [new Uint32Array(0), new Uint32Array(0), new Uint32Array(0)];
  const out = new Uint8Array(length);
  let pos = 0;
  let literalsLeft = literalCount;
  const copyLiterals = (count: number): void => {
    if (count > literalsLeft || pos + count > length) throw reader.fail('literal bytes run past the skeleton');
    for (let i = 0; i < count; i++) out[pos++] = (literals as RansStream).decode();
    literalsLeft -= count;
  };
  let distance = 0;
  for (let j = 0; j < sequences; j++) {
    copyLiterals(runs[j] as number);
    const size = (lengths[j] as number) + MIN_MATCH;
    distance = (distances[j] as number) || distance;
    if (distance === 0) throw reader.fail('the first repeated stretch repeats a distance not given yet');
    if (distance > pos) throw reader.fail(`a repeated stretch reaches ${distance} bytes back from byte ${pos}`);
    if (pos + size > length) throw reader.fail('a repeated stretch runs past the skeleton');
    for (let i = 0; i < size; i++, pos++) out[pos] = out[pos - distance] as number;
  }
  copyLiterals(literalsLeft);
  if (pos !== length) throw reader.fail(`the skeleton decodes to ${pos} bytes, not ${length}`);
  literals?.finish();
  return out;
}
