import type { FormatExtras } from './format-extras';
import type { Tensor } from './tensor';
import type { ValueType } from './value-type';

/**
 * A named edge of a graph: a graph input, a node output or an initializer. Nodes refer to Value
 * objects, so renaming a value renames it everywhere. A value used inside a subgraph but defined
 * in an enclosing graph is the enclosing graph's Value object.
 */
export class Value {
  name: string;
  /** Declared or inferred type; `undefined` when unknown. */
  type: ValueType | undefined;
  docString = '';
  /** Constant data when this value is an initializer. */
  initializer: Tensor | undefined;
  /** Format-specific side record of the value's declaration (see {@link FormatExtras}). */
  extras: FormatExtras | undefined;

  constructor(name: string, type?: ValueType) {
    this.name = name;
    this.type = type;
  }
}
