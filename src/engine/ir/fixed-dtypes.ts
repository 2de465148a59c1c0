import type { DType } from './dtype';
import type { Node } from './node';
import type { Dim } from './shape';
import type { OpShapes } from './shape-rules';

// Outputs whose element type the ONNX operator spec fixes, whatever the inputs' types are: Shape of
// anything is int64, a comparison is bool. These get their dtype even when nothing is known about the
// inputs (an untyped graph input, a custom-domain producer), with the shape where it still follows
// from the node alone (Shape is 1-D, Size a scalar, NonZero 2-D).

const BOOL: readonly DType[] = ['bool'];
const INT64: readonly DType[] = ['int64'];

/** Per operator, the fixed dtype of each output (`undefined`: it follows the inputs). */
const FIXED: Readonly<Record<string, readonly (DType | undefined)[]>> = {
  Shape: INT64,
  Size: INT64,
  NonZero: INT64,
  ArgMax: INT64,
  ArgMin: INT64,
  NonMaxSuppression: INT64,
  TopK: [undefined, 'int64'],
  MaxPool: [undefined, 'int64'],
  Unique: [undefined, 'int64', 'int64', 'int64'],
  DynamicQuantizeLinear: ['uint8', 'float32', 'uint8'],
  ConvInteger: ['int32'],
  MatMulInteger: ['int32'],
  Equal: BOOL,
  Less: BOOL,
  Greater: BOOL,
  LessOrEqual: BOOL,
  GreaterOrEqual: BOOL,
  And: BOOL,
  Or: BOOL,
  Xor: BOOL,
  Not: BOOL,
  IsNaN: BOOL,
  IsInf: BOOL,
};

/** The dtype the spec fixes for output `index` of `opType`, or `undefined` when it follows the inputs. */
export function fixedOutputDtype(opType: string, index: number): DType | undefined {
  return Object.hasOwn(FIXED, opType) ? FIXED[opType]?.[index] : undefined;
}

/**
 * `outs` with every output whose dtype the spec fixes set to that dtype: added (with the shape the
 * node alone implies, else unknown) where inference found nothing, corrected where it guessed another.
 */
export function withFixedDtypes(node: Node, outs: OpShapes | undefined): OpShapes | undefined {
  if (!Object.hasOwn(FIXED, node.opType)) return outs;
  return node.outputs.map((_, i) => {
    const found = outs?.[i];
    const dtype = fixedOutputDtype(node.opType, i);
    if (!dtype) return found;
    return { dtype, shape: found ? found.shape : shapeFromNodeAlone(node, i) };
  });
}

function shapeFromNodeAlone(node: Node, index: number): Dim[] | undefined {
  switch (node.opType) {
    case 'Shape':
      return [null];
    case 'Size':
      return [];
    case 'NonZero':
      return [null, null];
    case 'NonMaxSuppression':
      return [null, 3];
    case 'DynamicQuantizeLinear':
      return index === 0 ? undefined : [];
    default:
      return undefined;
  }
}
