import { ByteBuffer } from 'flatbuffers';

/** Thrown inside the reader when the flatbuffer points outside itself; turned into a LitheError by the caller. */
export class FlatbufferBoundsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlatbufferBoundsError';
  }
}

/**
 * A flatbuffers ByteBuffer that checks every read against the buffer's length and bounds the total
 * amount of reading, so corrupt or hostile offsets fail fast instead of returning garbage or hanging.
 * The flatbuffers JS runtime itself does no bounds checks.
 */
export class CheckedByteBuffer extends ByteBuffer {
  private readonly size: number;
  private budget: number;

  constructor(bytes: Uint8Array) {
    super(bytes);
    this.size = bytes.length;
    // Honest files read each byte a few times at most; aliasing tricks would read far more.
    this.budget = 64 * bytes.length + 1_000_000;
  }

  private check(offset: number, width: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + width > this.size) {
      throw new FlatbufferBoundsError(`offset ${offset} is outside the file (${this.size} bytes)`);
    }
    this.budget -= width;
    if (this.budget < 0) throw new FlatbufferBoundsError('the same data is referenced too many times (aliased offsets)');
  }

  override readUint8(offset: number): number {
    this.check(offset, 1);
    return super.readUint8(offset);
  }

  override readUint16(offset: number): number {
    this.check(offset, 2);
    return super.readUint16(offset);
  }

  override readInt32(offset: number): number {
    this.check(offset, 4);
    return super.readInt32(offset);
  }

  override __vector_len(offset: number): number {
    const start = this.__vector(offset);
    const length = this.readInt32(start - 4);
    if (length < 0 || length > this.size - start) {
      throw new FlatbufferBoundsError(`a vector at offset ${start} claims ${length >>> 0} elements, more than the file holds`);
    }
    return length;
  }

  override __string(offset: number, encoding?: Parameters<ByteBuffer['__string']>[1]): string | Uint8Array {
    const start = offset + this.readInt32(offset);
    const length = this.readInt32(start);
    if (length < 0 || start + 4 + length > this.size) {
      throw new FlatbufferBoundsError(`a string at offset ${start} claims ${length >>> 0} bytes, more than the file holds`);
    }
    return super.__string(offset, encoding);
  }

  /** A zero-copy view of a checked byte vector, given the field position within its table. */
  byteVector(fieldPosition: number, elementSize = 1): Uint8Array {
    const start = this.__vector(fieldPosition);
    const length = this.__vector_len(fieldPosition);
    if (start + length * elementSize > this.size) {
      throw new FlatbufferBoundsError(`a vector at offset ${start} runs past the end of the file`);
    }
    this.budget -= length * elementSize;
    if (this.budget < 0) throw new FlatbufferBoundsError('the same data is referenced too many times (aliased offsets)');
    return this.bytes().subarray(start, start + length * elementSize);
  }
}
