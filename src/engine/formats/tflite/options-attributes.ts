import type { Attribute, AttributeValue } from '../../ir/attribute';
import type { TfliteOptionsTable } from './tflite-model';

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function toAttributeValue(value: unknown): AttributeValue | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: 'int', value: BigInt(value) } : { kind: 'float', value };
  if (typeof value === 'boolean') return { kind: 'int', value: value ? 1n : 0n };
  if (typeof value === 'bigint') return { kind: 'int', value };
  if (typeof value === 'string') return { kind: 'string', value: new TextEncoder().encode(value) };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'bigint')) return { kind: 'ints', value: value as bigint[] };
    if (value.every((v) => typeof v === 'boolean')) return { kind: 'ints', value: value.map((v) => (v ? 1n : 0n)) };
    if (value.every((v) => typeof v === 'number' && Number.isInteger(v)))
      return { kind: 'ints', value: value.map((v) => BigInt(v as number)) };
    if (value.every((v) => typeof v === 'number')) return { kind: 'floats', value: value as number[] };
  }
  return undefined;
}

/**
 * Node attributes from an unpacked options table: one attribute per field, named as in the schema
 * (snake_case); enums and booleans become ints. Float fields holding whole numbers also become ints;
 * {@link applyAttributes} converts them back by the field's type.
 */
export function optionsToAttributes(table: TfliteOptionsTable): Attribute[] {
  const out: Attribute[] = [];
  for (const [key, value] of Object.entries(table)) {
    if (value === null) continue;
    const attr = toAttributeValue(value);
    if (attr) out.push({ name: snake(key), value: attr });
  }
  return out;
}

function fromAttribute(current: unknown, value: AttributeValue): unknown {
  const scalar = value.kind === 'int' ? Number(value.value) : value.kind === 'float' ? value.value : undefined;
  if (typeof current === 'boolean') return scalar !== undefined ? scalar !== 0 : current;
  if (typeof current === 'bigint') return value.kind === 'int' ? value.value : current;
  if (typeof current === 'number' || current === undefined) return scalar ?? current;
  if (typeof current === 'string' || current === null) return value.kind === 'string' ? new TextDecoder().decode(value.value) : current;
  if (Array.isArray(current)) {
    const list = value.kind === 'ints' ? value.value : value.kind === 'floats' ? value.value : undefined;
    if (!list) return current;
    const sample = current[0];
    if (typeof sample === 'bigint') return list.map((v) => BigInt(v));
    if (typeof sample === 'boolean') return list.map((v) => Number(v) !== 0);
    return list.map(Number);
  }
  return current;
}

/** Sets the fields of a fresh options table from node attributes (fields without an attribute keep their defaults). */
export function applyAttributes<T extends TfliteOptionsTable>(table: T, attributes: readonly Attribute[]): T {
  const record = table as unknown as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const attr = attributes.find((a) => a.name === snake(key));
    if (attr) record[key] = fromAttribute(record[key], attr.value);
  }
  return table;
}
