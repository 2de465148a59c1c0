import type { FormatExtras } from './format-extras';
import type { Node } from './node';
import type { Tensor } from './tensor';
import { LINKS, type ValueLinks } from './use-def';
import type { ValueType } from './value-type';
import type { ValueQuantization } from './quantization';

/**
 * A named edge of a graph: a graph input, a node output or an initializer. Nodes refer to Value
 * objects, so renaming a value renames it everywhere. A value used inside a subgraph but defined
 * in an enclosing graph is the enclosing graph's Value object.
 *
 * A value knows the node producing it and the nodes reading it ({@link Value.producer},
 * {@link Value.consumers}); the graph's edit methods keep both current.
 */
export class Value {
  name: string;
  docString = '';
  /** Constant data when this value is an initializer. */
  initializer: Tensor | undefined;
  /**
   * How the integers of a quantized tensor map to real numbers (TFLite tensors carry this with the
   * tensor; ONNX spells it as QuantizeLinear/DequantizeLinear nodes instead).
   */
  quantization: ValueQuantization | undefined;
  /** Format-specific side record of the value's declaration (see {@link FormatExtras}). */
  extras: FormatExtras | undefined;
  readonly [LINKS]: ValueLinks = { producer: undefined, readers: new Map() };
  #type: ValueType | undefined;
  #inferred = false;

  constructor(name: string, type?: ValueType) {
    this.name = name;
    this.#type = type;
  }

  /** Declared or inferred type; `undefined` when unknown. Setting it marks it as not inferred. */
  get type(): ValueType | undefined {
    return this.#type;
  }

  set type(type: ValueType | undefined) {
    this.#type = type;
    this.#inferred = false;
  }

  /** True when {@link Value.type} was filled in by shape inference, not read from the file or set by a pass. */
  get typeInferred(): boolean {
    return this.#inferred;
  }

  /** Sets a type found by shape inference (see {@link Value.typeInferred}). */
  setInferredType(type: ValueType | undefined): void {
    this.#type = type;
    this.#inferred = type !== undefined;
  }

  /** The node whose output this is, if a node of some graph produces it. */
  get producer(): Node | undefined {
    return this[LINKS].producer;
  }

  /** The nodes reading this value as an input (in any graph, subgraphs included), each once. */
  get consumers(): Node[] {
    return [...this[LINKS].readers.keys()];
  }

  /** True when some node reads this value. */
  get hasConsumers(): boolean {
    return this[LINKS].readers.size > 0;
  }
}
