import type { Attribute } from './attribute';
import type { FormatExtras } from './format-extras';
import type { Graph } from './graph';
import type { Tensor } from './tensor';
import { LINKS, type NodeLinks } from './use-def';
import type { Value } from './value';

/**
 * One operator application. `inputs`/`outputs` hold `undefined` for omitted optional
 * positions (ONNX writes them as empty names). `domain` is `''` for the default operator set.
 *
 * The input and output lists are read-only views: change them by assigning a whole list or with
 * {@link Node.setInput}/{@link Node.setOutput}, so the values' producer and consumers stay current.
 */
export class Node {
  opType: string;
  domain: string;
  name: string;
  attributes: Attribute[];
  docString = '';
  /** Format-specific side record (see {@link FormatExtras}). */
  extras: FormatExtras | undefined;
  #inputs: (Value | undefined)[];
  #outputs: (Value | undefined)[];
  #graph: Graph | undefined;
  readonly [LINKS]: NodeLinks;

  constructor(
    opType: string,
    inputs: readonly (Value | undefined)[],
    outputs: readonly (Value | undefined)[],
    options: { name?: string; domain?: string; attributes?: Attribute[] } = {},
  ) {
    this.opType = opType;
    this.domain = options.domain ?? '';
    this.name = options.name ?? '';
    this.#inputs = [...inputs];
    this.#outputs = [...outputs];
    this.attributes = options.attributes ?? [];
    this[LINKS] = {
      attach: (graph) => {
        this.#graph = graph;
        this.#link();
      },
      detach: () => {
        this.#unlink();
        this.#graph = undefined;
      },
    };
  }

  /** The graph whose node list holds this node, if any. */
  get graph(): Graph | undefined {
    return this.#graph;
  }

  /** Input values in operator order (`undefined`: an omitted optional input). */
  get inputs(): readonly (Value | undefined)[] {
    return this.#inputs;
  }

  set inputs(values: readonly (Value | undefined)[]) {
    this.#edit(() => (this.#inputs = [...values]));
  }

  /** Output values in operator order (`undefined`: an omitted optional output). */
  get outputs(): readonly (Value | undefined)[] {
    return this.#outputs;
  }

  set outputs(values: readonly (Value | undefined)[]) {
    this.#edit(() => (this.#outputs = [...values]));
  }

  /** Sets input `index` (the list grows with omitted inputs when `index` is past its end). */
  setInput(index: number, value: Value | undefined): void {
    const next = [...this.#inputs];
    while (next.length < index) next.push(undefined);
    next[index] = value;
    this.inputs = next;
  }

  /** Sets output `index` (the list grows with omitted outputs when `index` is past its end). */
  setOutput(index: number, value: Value | undefined): void {
    const next = [...this.#outputs];
    while (next.length < index) next.push(undefined);
    next[index] = value;
    this.outputs = next;
  }

  /** Replaces every read of `from` by `to`; returns how many inputs changed. */
  replaceInput(from: Value, to: Value | undefined): number {
    const count = this.#inputs.filter((v) => v === from).length;
    if (count > 0) this.inputs = this.#inputs.map((v) => (v === from ? to : v));
    return count;
  }

  /** Replaces every output `from` by `to`; returns how many outputs changed. */
  replaceOutput(from: Value, to: Value | undefined): number {
    const count = this.#outputs.filter((v) => v === from).length;
    if (count > 0) this.outputs = this.#outputs.map((v) => (v === from ? to : v));
    return count;
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

  /** A `floats` attribute, or `undefined`. */
  floats(name: string): number[] | undefined {
    const a = this.attribute(name);
    return a?.value.kind === 'floats' ? a.value.value : undefined;
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

  #edit(change: () => void): void {
    if (!this.#graph) return change();
    this.#unlink();
    change();
    this.#link();
  }

  #link(): void {
    for (const v of this.#inputs) {
      if (!v) continue;
      const readers = v[LINKS].readers;
      readers.set(this, (readers.get(this) ?? 0) + 1);
    }
    for (const v of this.#outputs) if (v) v[LINKS].producer = this;
  }

  #unlink(): void {
    for (const v of this.#inputs) v?.[LINKS].readers.delete(this);
    for (const v of this.#outputs) if (v && v[LINKS].producer === this) v[LINKS].producer = undefined;
  }
}
