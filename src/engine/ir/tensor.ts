import { LitheError } from '../errors';
import { dtypeBits, type DType } from './dtype';
import type { FormatExtras } from './format-extras';
import { elementCount } from './shape';

/** Where a tensor's bytes come from until they are first changed. */
export interface TensorSource {
  /** Packed little-endian bytes (sub-byte types share bytes, low bits first). Called at most once. */
  loadBytes?: () => Uint8Array;
  /** String elements, for `string` tensors. */
  loadStrings?: () => Uint8Array[];
  /** Size of the stored data in bytes, when known without loading it. */
  byteLength?: number;
}

/** A typed-array view of tensor data, as returned by {@link Tensor.toTypedArray}. */
export type TensorArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

/**
 * A constant tensor (initializer, constant attribute). Data is loaded lazily from its
 * {@link TensorSource} — for files read from disk it is a view into the file's bytes — and stays
 * shared until {@link Tensor.setBytes} / {@link Tensor.setStrings} replaces it.
 */
export class Tensor {
  name: string;
  dtype: DType;
  dims: number[];
  docString = '';
  /** Format-specific side record (see {@link FormatExtras}). */
  extras: FormatExtras | undefined;
  #source: TensorSource | undefined;
  #bytes: Uint8Array | undefined;
  #strings: Uint8Array[] | undefined;
  #changed = false;

  constructor(name: string, dtype: DType, dims: number[], source?: TensorSource | Uint8Array) {
    this.name = name;
    this.dtype = dtype;
    this.dims = dims;
    if (source instanceof Uint8Array) {
      this.#bytes = source;
      this.#changed = true;
    } else {
      this.#source = source;
    }
  }

  /** Number of elements (product of `dims`). */
  get elementCount(): number {
    return elementCount(this.dims);
  }

  /** Bytes this tensor's data occupies (packed), or the stored size for strings when known. */
  get byteLength(): number {
    if (this.#bytes) return this.#bytes.byteLength;
    if (this.#source?.byteLength !== undefined) return this.#source.byteLength;
    const bits = dtypeBits(this.dtype);
    if (bits > 0) return Math.ceil((this.elementCount * bits) / 8);
    return this.strings().reduce((n, s) => n + s.byteLength, 0);
  }

  /** True once the data was replaced after reading (writers then re-encode it). */
  get changed(): boolean {
    return this.#changed;
  }

  /** True while the data has not been loaded from its source yet. */
  get isLazy(): boolean {
    return this.#bytes === undefined && this.#strings === undefined;
  }

  /** Packed little-endian bytes of the data. Throws for `string` tensors. */
  bytes(): Uint8Array {
    if (this.#bytes) return this.#bytes;
    if (this.dtype === 'string') throw new LitheError('internal', `tensor '${this.name}' holds strings, not bytes`);
    const load = this.#source?.loadBytes;
    this.#bytes = load ? load() : new Uint8Array(0);
    return this.#bytes;
  }

  /** Elements of a `string` tensor as UTF-8 bytes. */
  strings(): Uint8Array[] {
    if (this.#strings) return this.#strings;
    const load = this.#source?.loadStrings;
    this.#strings = load ? load() : [];
    return this.#strings;
  }

  /** Replaces the data with packed little-endian bytes; marks the tensor changed. */
  setBytes(bytes: Uint8Array): void {
    this.#bytes = bytes;
    this.#strings = undefined;
    this.#source = undefined;
    this.#changed = true;
  }

  /** Replaces the data of a `string` tensor; marks the tensor changed. */
  setStrings(values: Uint8Array[]): void {
    this.#strings = values;
    this.#bytes = undefined;
    this.#source = undefined;
    this.#changed = true;
  }

  /**
   * The data as a typed array of the natural JS type (float16/bfloat16/float8 as raw unsigned
   * integers; sub-byte types stay packed as `Uint8Array`). Zero-copy when the bytes are aligned.
   */
  toTypedArray(): TensorArray {
    const raw = this.bytes();
    const ctor = typedArrayFor(this.dtype);
    const size = ctor.BYTES_PER_ELEMENT;
    let bytes = raw;
    if (size > 1 && raw.byteOffset % size !== 0) bytes = new Uint8Array(raw); // copy (Buffer#slice would be a view)
    return new ctor(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / size));
  }
}

type TypedArrayCtor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorArray;
  BYTES_PER_ELEMENT: number;
};

function typedArrayFor(dtype: DType): TypedArrayCtor {
  switch (dtype) {
    case 'float32':
    case 'complex64':
      return Float32Array;
    case 'float64':
    case 'complex128':
      return Float64Array;
    case 'int8':
      return Int8Array;
    case 'int16':
      return Int16Array;
    case 'int32':
      return Int32Array;
    case 'int64':
      return BigInt64Array;
    case 'uint16':
    case 'float16':
    case 'bfloat16':
      return Uint16Array;
    case 'uint32':
      return Uint32Array;
    case 'uint64':
      return BigUint64Array;
    default:
      return Uint8Array;
  }
}
