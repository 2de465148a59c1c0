import { CODEBOOK_KIND } from '../decoder/format';
import type { ByteWriter } from './byte-writer';
import { varintLength } from './byte-writer';
import { exactHalf } from './element-values';

/** How a codebook will be stored, and its size. */
export interface CodebookPlan {
  values: number[];
  width: number;
  kind: number;
  bytes: number;
}

/** Picks the smallest exact storage for codebook `values` (element patterns of `width` bytes). */
export function planCodebook(values: number[], width: number): CodebookPlan {
  const head = varintLength(values.length) + 1;
  if (width === 4 && values.every((v) => exactHalf(v) !== undefined))
    return { values, width, kind: CODEBOOK_KIND.float16, bytes: head + 2 * values.length };
  if (width === 4 && values.every((v) => v % 65536 === 0))
    return { values, width, kind: CODEBOOK_KIND.bfloat16, bytes: head + 2 * values.length };
  return { values, width, kind: CODEBOOK_KIND.raw, bytes: head + width * values.length };
}

export function writeCodebook(w: ByteWriter, plan: CodebookPlan): void {
  w.varint(plan.values.length).u8(plan.kind);
  for (const v of plan.values) {
    if (plan.kind === CODEBOOK_KIND.float16) w.u16(exactHalf(v) as number);
    else if (plan.kind === CODEBOOK_KIND.bfloat16) w.u16(v / 65536);
    else if (plan.width === 1) w.u8(v);
    else if (plan.width === 2) w.u16(v);
    else w.u32(v);
  }
}
