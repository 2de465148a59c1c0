import { LitheError } from '../../errors';
import type { InputHints } from './input-hints';

/** A dimension as ONNX Runtime declares it: a size, a symbolic name, or '' when unnamed. */
export type DeclaredDim = number | string | null;

/** A model input as declared by the model. */
export interface DeclaredInput {
  name: string;
  dtype: string;
  shape: readonly DeclaredDim[];
}

/** A model input with every dimension decided. */
export interface PlannedInput {
  name: string;
  dtype: string;
  shape: number[];
  declaredShape: DeclaredDim[];
  /** One sentence per dimension Lithe had to assume. */
  assumed: string[];
  /** Integer inputs: generated values lie in [0, valueEnd) (the rows of the table they index). */
  valueEnd?: number;
}

/** Size used for the batch axis when nothing else is known. */
export const DEFAULT_BATCH = 1;
/** Size used for the spatial axes of an image-like input (rank 4, 1/3/4 channels). */
export const DEFAULT_IMAGE_SIZE = 224;
/** Size used for any other dynamic axis (sequence length, features, …). */
export const DEFAULT_OTHER_DIM = 512;

const isDynamic = (dim: DeclaredDim): boolean => typeof dim !== 'number' || dim < 0;
const isChannels = (dim: DeclaredDim | undefined): boolean => dim === 1 || dim === 3 || dim === 4;
// Names exporters give the batch axis and sequence axes: a name says more than a position.
const BATCH_NAME = /^(n|b|bs|batch\w*|\w*_batch)$/i;
const SEQUENCE_NAME = /^(t|seq\w*|time\w*|\w*len(gth)?|frames?|steps?|tokens?|words?|chars?|samples?)$/i;
const named = (pattern: RegExp, symbol: string | undefined): boolean => symbol !== undefined && pattern.test(symbol);

/** Which axes of a rank-4 input are image height and width, if its channels axis is static. */
function spatialAxes(shape: readonly DeclaredDim[]): number[] {
  if (shape.length !== 4) return [];
  if (isChannels(shape[1]) && !isChannels(shape[3])) return [2, 3];
  if (isChannels(shape[3])) return [1, 2];
  if (isChannels(shape[1])) return [2, 3];
  return [];
}

/**
 * Decides a concrete shape for every input. Dynamic dimensions come, in order, from: `dims[name]`
 * for a named dimension, `dims["input:axis"]`, the value already chosen for the same name on
 * another input, and then the defaults: the first dynamic axis of an input is the batch
 * ({@link DEFAULT_BATCH}), unless names say otherwise (a dimension named like a batch, "N" or
 * "batch_size", is the batch wherever it is, unless an earlier axis already is; one named like a sequence, "seq", "time", "tokens", …,
 * never is: `[1, "seq"]` is one sequence, not a batch of one); the height and width of an image-like input (rank 4 with a static 1, 3
 * or 4 channels axis) are {@link DEFAULT_IMAGE_SIZE}; any other axis is {@link DEFAULT_OTHER_DIM}.
 * With `hints` (see inputHints), a default never exceeds what the model's tables allow, and
 * integer inputs that index a table get the table's size as their value range.
 */
export function planInputs(
  inputs: readonly DeclaredInput[],
  dims: Readonly<Record<string, number>> = {},
  file?: string,
  hints?: InputHints,
): PlannedInput[] {
  const byName = new Map<string, number>();
  return inputs.map((input) => {
    const assumed: string[] = [];
    const spatial = spatialAxes(input.shape);
    let sawDynamic = false;
    let sawBatch = false;
    const shape = input.shape.map((dim, axis) => {
      if (!isDynamic(dim)) return dim as number;
      const symbol = typeof dim === 'string' && dim !== '' ? dim : undefined;
      const label = symbol ? `dim "${symbol}" (axis ${axis})` : `axis ${axis}`;
      const first = !sawDynamic;
      sawDynamic = true;
      const given = (symbol !== undefined ? dims[symbol] : undefined) ?? dims[`${input.name}:${axis}`];
      if (given !== undefined) {
        if (symbol) byName.set(symbol, given);
        return given;
      }
      const shared = symbol !== undefined ? byName.get(symbol) : undefined;
      if (shared !== undefined) return shared;
      let value: number;
      let why: string;
      // an input has one batch axis: after it, a batch-like name ("n" of [batch, n, d]) is a count of items
      if (named(BATCH_NAME, symbol) && !sawBatch) [value, why] = [DEFAULT_BATCH, 'batch default'];
      else if (named(SEQUENCE_NAME, symbol)) [value, why] = [DEFAULT_OTHER_DIM, 'default for other dynamic dimensions'];
      else if (first && !spatial.includes(axis)) [value, why] = [DEFAULT_BATCH, 'batch default'];
      else if (spatial.includes(axis)) [value, why] = [DEFAULT_IMAGE_SIZE, 'image size default'];
      else [value, why] = [DEFAULT_OTHER_DIM, 'default for other dynamic dimensions'];
      const most = symbol !== undefined ? hints?.dimLimits[symbol] : undefined;
      if (why === 'batch default') sawBatch = true;
      if (most !== undefined && value > most) [value, why] = [most, `the most the model's own tables allow (default ${value})`];
      if (symbol) byName.set(symbol, value);
      assumed.push(`${label} = ${value}: ${why}`);
      return value;
    });
    if (input.dtype === 'undefined' || input.dtype === '') {
      throw new LitheError('unsupported', `input "${input.name}" is not a tensor; Lithe can only generate tensor inputs`, { file });
    }
    const valueEnd = hints?.valueEnds[input.name];
    return { name: input.name, dtype: input.dtype, shape, declaredShape: [...input.shape], assumed, ...(valueEnd ? { valueEnd } : {}) };
  });
}
