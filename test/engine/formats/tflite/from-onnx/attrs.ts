// Attribute values for GraphBuilder nodes.
import type { AttributeValue } from '../../../../../src/engine/ir/attribute';

export const int = (v: number): AttributeValue => ({ kind: 'int', value: BigInt(v) });
export const ints = (v: number[]): AttributeValue => ({ kind: 'ints', value: v.map((x) => BigInt(x)) });
export const float = (v: number): AttributeValue => ({ kind: 'float', value: v });
export const floats = (v: number[]): AttributeValue => ({ kind: 'floats', value: v });
export const str = (v: string): AttributeValue => ({ kind: 'string', value: new TextEncoder().encode(v) });
export const strs = (v: string[]): AttributeValue => ({ kind: 'strings', value: v.map((s) => new TextEncoder().encode(s)) });
