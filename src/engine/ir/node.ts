import type { Attribute } from './attribute';
import type { FormatExtras } from './format-extras';
import type { Graph } from './graph';
import type { Tensor } from './tensor';
import type { Value } from './value';

/**
 * One operator application. `inputs`/`outputs` hold `undefined` for omitted optional
 * positions (ONNX writes them as empty names). `domain` is `''` for the default operator set.
 */
export class Node {
  opType: string;
  domain: string;
  name: string;
  inputs: (Value | undefined)[];
  outputs: (Value | undefined)[];
  attributes: Attribute[];
  docString = '';
  /** Format-specific side record (see {@link FormatExtras}). */
  extras: FormatExtras | undefined;

  constructor(
    opType: string,
    inputs: (Value | undefined)[],
    outputs: (Value | undefined)[],
    options: { name?: string; domain?: string; attributes?: Attribute[] } = {},
  ) {
    this.opType = opType;
    this.domain = options.domain ?? '';
    this.name = options.name ?? '';
    this.inputs = inputs;
    this.outputs = outputs;
    this.attributes = options.attributes ?? [];
  }

  /** The attribute called `name`, if present. */
  attribute(name: string): Attribute | undefined {
    return this.attributes.find((a) => a.name === name);
  }

  /** An `int` attribute as a number, or `fallback`. */
  int(name: string, fallback: number): number {
    const a = this.attribute(name);
    return a?.value.kind === 'int' ? Number(a.value.value) : fallback;
  }

  /** An `ints` attribute as numbers, or `undefined`. */
  ints(name: string): number[] | undefined {
    const a = this.attribute(name);
    return a?.value.kind === 'ints' ? a.value.value.map(Number) : undefined;
  }

  /** A `float` attribute, or `fallback`. */
  float(name: string, fallback: number): number {
    const a = this.attribute(name);
    return a?.value.kind === 'float' ? a.value.value : fallback;
  }

  /** A `string` attribute decoded as UTF-8, or `fallback`. */
  string(name: string, fallback: string): string {
    const a = this.attribute(name);
    return a?.value.kind === 'string' ? new TextDecoder().decode(a.value.value) : fallback;
  }

  /** A `tensor` attribute, if present. */
  tensor(name: string): Tensor | undefined {
    const a = this.attribute(name);
    return a?.value.kind === 'tensor' ? a.value.value : undefined;
  }

  /** Subgraphs held in attributes (If branches, Loop/Scan bodies), in attribute order. */
  subgraphs(): Graph[] {
    const out: Graph[] = [];
    for (const a of this.attributes) {
      if (a.value.kind === 'graph') out.push(a.value.value);
      else if (a.value.kind === 'graphs') out.push(...a.value.value);
    }
    return out;
  }
}
