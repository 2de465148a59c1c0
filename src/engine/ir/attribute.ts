import type { FormatExtras } from './format-extras';
import type { Graph } from './graph';
import type { Tensor } from './tensor';

/**
 * The value of a node attribute. Integers are `bigint` so 64-bit values (e.g. INT64_MAX used as
 * "to the end") survive unchanged; strings are raw bytes (use {@link attributeText}).
 * `opaque` holds kinds the IR does not model (sparse tensors, type descriptions); their content
 * lives in the attribute's format extras.
 */
export type AttributeValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: bigint }
  | { kind: 'string'; value: Uint8Array }
  | { kind: 'tensor'; value: Tensor }
  | { kind: 'graph'; value: Graph }
  | { kind: 'floats'; value: number[] }
  | { kind: 'ints'; value: bigint[] }
  | { kind: 'strings'; value: Uint8Array[] }
  | { kind: 'tensors'; value: Tensor[] }
  | { kind: 'graphs'; value: Graph[] }
  | { kind: 'opaque'; value: undefined };

/** A named attribute of a node (or a default of a function attribute). */
export interface Attribute {
  name: string;
  value: AttributeValue;
  /** Inside a function body: the name of the function attribute this one refers to. */
  ref?: string;
  docString?: string;
  extras?: FormatExtras;
}

/** Decodes a `string` attribute as UTF-8; `undefined` for other kinds. */
export function attributeText(attribute: Attribute | undefined): string | undefined {
  if (attribute?.value.kind !== 'string') return undefined;
  return new TextDecoder().decode(attribute.value.value);
}

/** Short readable summary of an attribute value for UIs (long lists and tensors abbreviated). */
export function summarizeAttribute(attribute: Attribute): string {
  const v = attribute.value;
  if (attribute.ref) return `@${attribute.ref}`;
  const list = <T>(items: T[], f: (x: T) => string): string =>
    items.length > 16 ? `[${items.slice(0, 16).map(f).join(', ')}, … (${items.length})]` : `[${items.map(f).join(', ')}]`;
  const text = (b: Uint8Array): string => JSON.stringify(new TextDecoder().decode(b));
  switch (v.kind) {
    case 'float':
      return String(v.value);
    case 'int':
      return v.value.toString();
    case 'string':
      return text(v.value);
    case 'tensor':
      return `tensor ${v.value.dtype}[${v.value.dims.join(',')}]`;
    case 'graph':
      return `graph '${v.value.name}' (${v.value.nodes.length} nodes)`;
    case 'floats':
      return list(v.value, String);
    case 'ints':
      return list(v.value, (x) => x.toString());
    case 'strings':
      return list(v.value, text);
    case 'tensors':
      return `${v.value.length} tensors`;
    case 'graphs':
      return `${v.value.length} graphs`;
    case 'opaque':
      return '(opaque)';
  }
}
