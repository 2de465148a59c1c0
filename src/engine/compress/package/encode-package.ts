import { crc32 } from '../decoder/crc32';
import { FORMAT_VERSION, fourCC, HEADER_BYTES, MAGIC, SECTION, SECTION_ENTRY_BYTES, SKELETON_CODEC } from '../decoder/format';
import { sha256 } from '../decoder/sha256';
import { ByteWriter } from './byte-writer';
import type { WeightSegment } from './find-segments';
import { countSymbols, planStream, writeStream } from './rans-encoder';
import type { TensorSize } from '../../../contract/size';
import { encodeTensor } from './tensor-encoder';
import { planLzSkeleton } from './lz-skeleton';

/** A package and what went into it. */
export interface EncodedPackage {
  bytes: Uint8Array;
  /** How each tensor was stored (`raw`: left in the skeleton, because coding would not make it smaller). */
  tensors: TensorSize[];
  skeletonBytes: number;
}

/** Descriptive fields written to the INFO section. */
export interface PackageInfo {
  format: string;
  name: string;
  encoder: string;
}

function skeletonSection(skeleton: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  const plan = skeleton.length > 0 ? planStream(countSymbols(skeleton, 256), 256) : undefined;
  const lz = skeleton.length > 0 ? planLzSkeleton(skeleton) : undefined;
  const smallest = Math.min(skeleton.length, plan?.bytes ?? Infinity, lz?.bytes ?? Infinity);
  if (lz && lz.bytes === smallest) {
    w.u8(SKELETON_CODEC.lz).varint(skeleton.length);
    lz.write(w);
  } else if (plan && plan.bytes === smallest) {
    w.u8(SKELETON_CODEC.rans).varint(skeleton.length);
    writeStream(w, plan, skeleton);
  } else w.u8(SKELETON_CODEC.raw).varint(skeleton.length).bytes(skeleton);
  return w.view().slice();
}

/**
 * Builds a `.lithe` package of the model file `file`: each segment whose coded form is smaller goes
 * into its own TENS section, everything else stays in the skeleton byte for byte.
 */
export function encodePackage(file: Uint8Array, segments: WeightSegment[], info: PackageInfo): EncodedPackage {
  const sections: { type: string; data: Uint8Array }[] = [{ type: SECTION.info, data: new TextEncoder().encode(JSON.stringify(info)) }];
  const tensors: TensorSize[] = [];
  const skeletonParts: Uint8Array[] = [];
  let cursor = 0;
  for (const s of segments) {
    const data = file.subarray(s.offset, s.offset + s.length);
    const coded = encodeTensor(data, s.width);
    const head = new ByteWriter().varint(s.offset).varint(s.length).u8(s.width).view();
    const packageBytes = SECTION_ENTRY_BYTES + head.length + coded.payload.length;
    const base = {
      name: s.name,
      dtype: s.dtype,
      dims: s.dims,
      bytes: s.length,
      elements: s.length / s.width,
      zeros: coded.zeros,
      ...(coded.distinct === undefined ? {} : { distinct: coded.distinct }),
      entropyBytes: coded.entropyBytes,
    };
    if (packageBytes >= s.length) {
      tensors.push({ ...base, coding: 'raw', packageBytes: s.length });
      continue;
    }
    tensors.push({ ...base, coding: coded.coding, packageBytes });
    const section = new Uint8Array(head.length + coded.payload.length);
    section.set(head);
    section.set(coded.payload, head.length);
    sections.push({ type: SECTION.tensor, data: section });
    skeletonParts.push(file.subarray(cursor, s.offset));
    cursor = s.offset + s.length;
  }
  skeletonParts.push(file.subarray(cursor));
  const skeleton = new Uint8Array(skeletonParts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of skeletonParts) {
    skeleton.set(p, at);
    at += p.length;
  }
  const skeletonData = skeletonSection(skeleton);
  sections.splice(1, 0, { type: SECTION.skeleton, data: skeletonData });

  const out = new ByteWriter();
  out.bytes(MAGIC).u16(FORMAT_VERSION).u16(0).u32(sections.length).u64(file.length).bytes(sha256(file));
  const table = new ByteWriter();
  for (const s of sections) table.u32(fourCC(s.type)).u32(s.data.length).u32(crc32(s.data));
  out.u32(crc32(table.view(), crc32(out.view())));
  out.bytes(table.view());
  for (const s of sections) out.bytes(s.data);
  const bytes = out.view().slice();
  if (bytes.length !== HEADER_BYTES + sections.length * SECTION_ENTRY_BYTES + sections.reduce((n, s) => n + s.data.length, 0))
    throw new Error('package layout mismatch');
  return { bytes, tensors, skeletonBytes: skeletonData.length + SECTION_ENTRY_BYTES };
}
