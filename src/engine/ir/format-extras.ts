/**
 * Opaque per-format side record attached to IR objects. A reader stores whatever it needs to
 * write the object back losslessly (fields the IR does not model, unknown fields, original
 * encoding); a writer for the same `format` may use it, every other code must ignore it.
 */
export interface FormatExtras {
  readonly format: string;
  readonly record: unknown;
}
