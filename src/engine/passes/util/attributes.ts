import type { AttributeValue } from '../../ir/attribute';
import type { Node } from '../../ir/node';

/** Sets (or replaces) attribute `name` of `node`, keeping the attribute order. */
export function setAttribute(node: Node, name: string, value: AttributeValue): void {
  const at = node.attributes.findIndex((a) => a.name === name);
  if (at >= 0) node.attributes[at] = { name, value };
  else node.attributes.push({ name, value });
}

/** Removes attribute `name` of `node`; true when it was present. */
export function removeAttribute(node: Node, name: string): boolean {
  const before = node.attributes.length;
  node.attributes = node.attributes.filter((a) => a.name !== name);
  return node.attributes.length !== before;
}

/** An `int` attribute value. */
export const intAttr = (value: number | bigint): AttributeValue => ({ kind: 'int', value: BigInt(value) });
/** An `ints` attribute value. */
export const intsAttr = (values: readonly (number | bigint)[]): AttributeValue => ({ kind: 'ints', value: values.map((v) => BigInt(v)) });
/** A `float` attribute value. */
export const floatAttr = (value: number): AttributeValue => ({ kind: 'float', value });
/** A `string` attribute value. */
export const stringAttr = (value: string): AttributeValue => ({ kind: 'string', value: new TextEncoder().encode(value) });
