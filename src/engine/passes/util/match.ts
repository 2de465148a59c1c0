/** A pattern check's outcome: what matched, or the reason it declined (words for the report). */
export type Match<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A successful match. */
export function matched<T>(value: T): Match<T> {
  return { ok: true, value };
}

/** A declined match, with the reason in words (e.g. "its weights are computed at run time"). */
export function declined(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
