import { ByteReader } from './byte-reader';
import { crc32 } from './crc32';
import { FORMAT_VERSION, fourCCText, HEADER_BYTES, MAGIC, MAX_SECTIONS, SECTION, SECTION_ENTRY_BYTES, SKELETON_CODEC } from './format';
import { PackageError } from './package-error';
import { RansStream } from './rans-decoder';
import { sha256 } from './sha256';
import { decodeTensor, readPlacement, type TensorPlacement } from './tensor-decoder';
import { decodeLzSkeleton } from './lz-skeleton';

/** One entry of the section table. */
export interface PackageSection {
  /** Four-character type, e.g. `TENS`. */
  type: string;
  /** Where the section's bytes start in the package. */
  offset: number;
  length: number;
  /** CRC-32 of the section's bytes. */
  crc: number;
}

/** What the fixed header and the section table say. */
export interface PackageHeader {
  version: number;
  /** Size of the model file the package decodes to. */
  originalLength: number;
  /** SHA-256 of that file. */
  originalSha256: Uint8Array;
  sections: PackageSection[];
}

/** Limits for {@link decodePackage}. */
export interface DecodeOptions {
  /** Refuse packages that claim a larger model (default 2^31 − 1 bytes, the limit of ONNX and TFLite files). */
  maxOutputBytes?: number;
}

/** A decoded package: the original model file's bytes and the descriptive INFO section. */
export interface DecodedPackage {
  model: Uint8Array;
  header: PackageHeader;
  /** The parsed INFO section (`undefined` when the package has none). */
  info: unknown;
}

const sectionName = (index: number, type: string): string => `section ${index + 1} (${type})`;

/** True when `bytes` begins with the package magic. */
export function isPackage(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Reads and checks the header and section table: magic, version, header CRC-32 and that the
 * sections exactly fill the rest of the package (a truncated package is refused here).
 */
export function readPackageHeader(bytes: Uint8Array): PackageHeader {
  if (!isPackage(bytes)) throw new PackageError('not-a-package', 'not a .lithe package (it does not start with the package marker)');
  if (bytes.length < HEADER_BYTES)
    throw new PackageError('truncated', `the package is truncated: ${bytes.length} bytes, shorter than its ${HEADER_BYTES}-byte header`);
  const head = new ByteReader(bytes, 'the package header', MAGIC.length, HEADER_BYTES);
  const version = head.u16();
  if (version !== FORMAT_VERSION)
    throw new PackageError(
      'unsupported-version',
      `the package has format version ${version}; this decoder reads version ${FORMAT_VERSION} (a newer Lithe made it?)`,
    );
  const flags = head.u16();
  const count = head.u32();
  const originalLength = head.u64();
  const originalSha256 = head.take(32);
  const headerCrc = head.u32();
  if (count > MAX_SECTIONS) throw new PackageError('corrupt', `the package header is damaged (it claims ${count} sections)`);
  const tableEnd = HEADER_BYTES + count * SECTION_ENTRY_BYTES;
  if (bytes.length < tableEnd)
    throw new PackageError('truncated', `the package is truncated: ${bytes.length} bytes, its section table alone needs ${tableEnd}`);
  const crc = crc32(bytes.subarray(HEADER_BYTES, tableEnd), crc32(bytes.subarray(0, HEADER_BYTES - 4)));
  if (crc !== headerCrc) throw new PackageError('checksum', 'the package header is damaged (its checksum does not match)');
  if (flags !== 0) throw new PackageError('unsupported-version', `the package uses feature flags ${flags} this decoder does not know`);
  const table = new ByteReader(bytes, 'the section table', HEADER_BYTES, tableEnd);
  const sections: PackageSection[] = [];
  let offset = tableEnd;
  for (let i = 0; i < count; i++) {
    const type = fourCCText(table.u32());
    const length = table.u32();
    sections.push({ type, offset, length, crc: table.u32() });
    offset += length;
  }
  if (offset > bytes.length)
    throw new PackageError('truncated', `the package is truncated: ${bytes.length} bytes of the ${offset} its sections take`);
  if (offset < bytes.length)
    throw new PackageError('corrupt', `the package has ${bytes.length - offset} unexpected bytes after its last section`);
  return { version, originalLength, originalSha256, sections };
}

function checkSections(bytes: Uint8Array, header: PackageHeader): void {
  header.sections.forEach((section, i) => {
    if (crc32(bytes.subarray(section.offset, section.offset + section.length)) !== section.crc)
      throw new PackageError('checksum', `${sectionName(i, section.type)} is damaged (its checksum does not match)`);
  });
}

function decodeSkeleton(reader: ByteReader, maxLength: number): Uint8Array {
  const codec = reader.u8();
  const length = reader.varintAtMost(maxLength, 'the skeleton length');
  if (codec === SKELETON_CODEC.raw) {
    const raw = reader.take(length);
    reader.expectEnd();
    return raw;
  }
  if (codec === SKELETON_CODEC.lz) {
    const out = decodeLzSkeleton(reader, length);
    reader.expectEnd();
    return out;
  }
  if (codec !== SKELETON_CODEC.rans) throw reader.fail(`skeleton storage ${codec} is unknown`);
  const out = new Uint8Array(length);
  if (length > 0) {
    const stream = RansStream.read(reader, 256, 1);
    for (let i = 0; i < length; i++) out[i] = stream.decode();
    stream.finish();
  }
  reader.expectEnd();
  return out;
}

function parseInfo(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    throw new PackageError('corrupt', `${where} is not valid UTF-8 JSON`);
  }
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Decodes a `.lithe` package back into the model file it was made from, byte for byte. Every
 * length is checked before anything is allocated, every section's CRC-32 before it is decoded,
 * and the result's SHA-256 against the original's: a damaged package raises a
 * {@link PackageError} saying where, never a wrong model.
 */
export function decodePackage(bytes: Uint8Array, options: DecodeOptions = {}): DecodedPackage {
  const header = readPackageHeader(bytes);
  const limit = options.maxOutputBytes ?? 2 ** 31 - 1;
  if (header.originalLength > limit)
    throw new PackageError('too-large', `the package claims a ${header.originalLength}-byte model, more than the ${limit} bytes allowed`);
  checkSections(bytes, header);
  let skeleton: Uint8Array | undefined;
  let info: unknown;
  const tensors: { placement: TensorPlacement; reader: ByteReader }[] = [];
  header.sections.forEach((section, i) => {
    const where = sectionName(i, section.type);
    const reader = new ByteReader(bytes, where, section.offset, section.offset + section.length);
    if (section.type === SECTION.skeleton) {
      if (skeleton) throw reader.fail('a second skeleton section');
      skeleton = decodeSkeleton(reader, header.originalLength);
    } else if (section.type === SECTION.info) info = parseInfo(reader.take(section.length), where);
    else if (section.type === SECTION.tensor) tensors.push({ placement: readPlacement(reader), reader });
    else throw new PackageError('unsupported-version', `${where} has a type this decoder does not know (a newer Lithe made it?)`);
  });
  if (!skeleton) throw new PackageError('corrupt', 'the package has no skeleton section');
  let end = 0;
  let coded = 0;
  for (const { placement, reader } of tensors) {
    if (placement.offset < end) throw reader.fail('the tensor overlaps the one before it or is out of order');
    end = placement.offset + placement.length;
    coded += placement.length;
    if (end > header.originalLength) throw reader.fail(`the tensor ends at byte ${end}, past the ${header.originalLength}-byte model`);
  }
  if (coded + skeleton.length !== header.originalLength)
    throw new PackageError(
      'corrupt',
      `the skeleton (${skeleton.length} bytes) and the tensors (${coded} bytes) do not add up to the ${header.originalLength}-byte model`,
    );
  const model = new Uint8Array(header.originalLength);
  let from = 0;
  let to = 0;
  for (const { placement, reader } of tensors) {
    const gap = placement.offset - to;
    model.set(skeleton.subarray(from, from + gap), to);
    from += gap;
    decodeTensor(reader, model, placement);
    to = placement.offset + placement.length;
  }
  model.set(skeleton.subarray(from), to);
  if (hex(sha256(model)) !== hex(header.originalSha256))
    throw new PackageError('checksum', 'the decoded model does not match the checksum of the original (the package is damaged)');
  return { model, header, info };
}
