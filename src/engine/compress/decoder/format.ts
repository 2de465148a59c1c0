// Constants of the `.lithe` package format, version 1 (docs/lithe-package.md).

/** The first 8 bytes of every package: 0x89 "LITHE" CR LF (a binary marker that text-mode copies break). */
export const MAGIC = Uint8Array.of(0x89, 0x4c, 0x49, 0x54, 0x48, 0x45, 0x0d, 0x0a);

/** The container version this decoder reads and the encoder writes. */
export const FORMAT_VERSION = 1;

/** Bytes before the section table: magic, version, flags, count, original length, SHA-256, header CRC. */
export const HEADER_BYTES = 60;

/** Bytes of one section-table entry: type, length, CRC-32. */
export const SECTION_ENTRY_BYTES = 12;

/** Largest number of sections a package may declare. */
export const MAX_SECTIONS = 1 << 20;

/** A four-character section type as its little-endian 32-bit code. */
export function fourCC(text: string): number {
  let code = 0;
  for (let i = 0; i < 4; i++) code += (text.charCodeAt(i) & 0xff) * 2 ** (8 * i);
  return code;
}

/** The four characters of a section type code (for messages). */
export function fourCCText(code: number): string {
  let text = '';
  for (let i = 0; i < 4; i++) {
    const c = Math.floor(code / 2 ** (8 * i)) & 0xff;
    text += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return text;
}

/** Section types (written as their {@link fourCC} codes). */
export const SECTION = {
  /** Descriptive JSON (format, original name, per-tensor table); not needed to decode. */
  info: 'INFO',
  /** The original file with every coded tensor's bytes cut out, in order. */
  skeleton: 'SKEL',
  /** One coded tensor: where its bytes go in the original and how they are coded. */
  tensor: 'TENS',
} as const;

/** How a tensor's elements are coded. */
export const TENSOR_MODE = {
  /** Every element is an index into a codebook; indices rANS-coded (optionally in two contexts). */
  codebook: 1,
  /** Zero elements as run lengths, the others as codebook indices; both rANS-coded. */
  sparse: 2,
  /** Byte planes: byte k of every element as one stream, each raw or rANS-coded. */
  planes: 3,
  /** Zero elements as run lengths, the others as byte planes (pruned weights that are not clustered). */
  sparsePlanes: 4,
} as const;

/** How codebook entries are stored. */
export const CODEBOOK_KIND = {
  /** Each entry as the element's own bytes. */
  raw: 0,
  /** 4-byte float entries stored as IEEE half precision (exact: every entry is a float16 value). */
  float16: 1,
  /** 4-byte float entries stored as their upper 16 bits (exact: the lower 16 bits are zero). */
  bfloat16: 2,
} as const;

/** How the skeleton is stored. */
export const SKELETON_CODEC = { raw: 0, rans: 1, lz: 2 } as const;

/** How one byte plane is stored. */
export const PLANE_CODEC = { raw: 0, rans: 1 } as const;

/** Largest alphabet of an entropy-coded stream (codebook size limit). */
export const MAX_ALPHABET = 1 << 16;

/** Largest frequency precision of an entropy-coded stream, in bits. */
export const MAX_SCALE_BITS = 16;
