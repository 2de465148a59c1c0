import type { ByteReader } from './byte-reader';

/** Reads raw bits, least significant first, from a byte range (the extra bits of long runs). */
export class BitReader {
  #byte = 0;
  #bit = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly reader: ByteReader,
  ) {}

  /** The next `count` (≤ 31) bits as an unsigned number. */
  read(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) {
      if (this.#byte >= this.bytes.length) throw this.reader.fail('the extra bits of long runs end early');
      value += (((this.bytes[this.#byte] as number) >> this.#bit) & 1) * 2 ** i;
      if (++this.#bit === 8) {
        this.#bit = 0;
        this.#byte++;
      }
    }
    return value;
  }

  /** Fails unless at most the padding bits of the last byte are left. */
  finish(): void {
    const left = this.bytes.length - this.#byte - (this.#bit > 0 ? 1 : 0);
    if (left !== 0) throw this.reader.fail(`the extra bits of long runs have ${left} unused bytes`);
  }
}
