import { PackageError } from './package-error';

/**
 * Reads little-endian numbers and LEB128 varints from a byte range, checking every read against
 * the range's end. `where` names the part of the package in error messages.
 */
export class ByteReader {
  #pos: number;
  readonly #end: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly where: string,
    start = 0,
    end = bytes.length,
  ) {
    this.#pos = start;
    this.#end = end;
  }

  get position(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.#end - this.#pos;
  }

  /** A `corrupt` error naming this part of the package. */
  fail(problem: string): PackageError {
    return new PackageError('corrupt', `${this.where}: ${problem}`);
  }

  #need(count: number): void {
    if (count > this.#end - this.#pos)
      throw this.fail(`ends early (${count} more bytes needed at byte ${this.#pos}, ${this.remaining} left)`);
  }

  u8(): number {
    this.#need(1);
    return this.bytes[this.#pos++] as number;
  }

  u16(): number {
    this.#need(2);
    const b = this.bytes;
    const p = this.#pos;
    this.#pos += 2;
    return (b[p] as number) | ((b[p + 1] as number) << 8);
  }

  u32(): number {
    this.#need(4);
    const b = this.bytes;
    const p = this.#pos;
    this.#pos += 4;
    return ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16)) + (b[p + 3] as number) * 2 ** 24;
  }

  /** A 64-bit unsigned integer, refused above 2^53 (no file is that large). */
  u64(): number {
    const low = this.u32();
    const high = this.u32();
    if (high >= 2 ** 21) throw this.fail(`a size of more than 2^53 bytes is not plausible`);
    return high * 2 ** 32 + low;
  }

  /** An unsigned LEB128 varint, refused above 2^53. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw this.fail('a number is longer than any size the format allows');
  }

  /** A varint that must not exceed `max` (`what` names it in the message). */
  varintAtMost(max: number, what: string): number {
    const value = this.varint();
    if (value > max) throw this.fail(`${what} is ${value}, more than the ${max} allowed here`);
    return value;
  }

  /** The next `count` bytes as a view. */
  take(count: number): Uint8Array {
    this.#need(count);
    const view = this.bytes.subarray(this.#pos, this.#pos + count);
    this.#pos += count;
    return view;
  }

  /** Fails unless every byte of the range was read. */
  expectEnd(): void {
    if (this.#pos !== this.#end) throw this.fail(`${this.#end - this.#pos} unexpected bytes at the end`);
  }
}
