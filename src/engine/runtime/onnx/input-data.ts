import { seededRandom } from '../../util/seeded-random';
import ort from 'onnxruntime-node';
import { LitheError } from '../../errors';
import { toHalfBits } from '../../util/half-float';
import type { PlannedInput } from './input-plan';

export { seededRandom } from '../../util/seeded-random';

const count = (shape: readonly number[]): number => shape.reduce((product, dim) => product * dim, 1);

/** Sample rate given to scalar integer inputs that are named like one (audio models check it). */
export const DEFAULT_SAMPLE_RATE = 16000;
const SAMPLE_RATE_NAME = /^(sr|sample_?rate|sampling_?rate)$/i;

/** The constant an input is filled with, if any: a user value, or the sample-rate rule. */
function constantFor(input: PlannedInput, values: Readonly<Record<string, number>>): number | undefined {
  if (values[input.name] !== undefined) return values[input.name];
  const integer = input.dtype.startsWith('int') || input.dtype.startsWith('uint');
  if (integer && count(input.shape) === 1 && SAMPLE_RATE_NAME.test(input.name)) return DEFAULT_SAMPLE_RATE;
  return undefined;
}

/** Adds to each input's `assumed` list the constant it will be filled with, when Lithe chose it. */
export function noteConstants(plan: readonly PlannedInput[], values: Readonly<Record<string, number>> = {}): PlannedInput[] {
  return plan.map((input) => {
    const constant = constantFor(input, values);
    if (constant === undefined || values[input.name] !== undefined) return input;
    return { ...input, assumed: [...input.assumed, `value = ${constant}: sample-rate default for an input named "${input.name}"`] };
  });
}

/**
 * Makes one tensor per planned input: floats uniform in [0, 1), integers uniform in [0, 10) (in
 * [0, valueEnd) for an input that indexes a table),
 * booleans random, strings empty; an input named in `values` is filled with that constant, and a
 * scalar integer input named `sr`/`sample_rate` gets {@link DEFAULT_SAMPLE_RATE}. Deterministic
 * for a given seed.
 */
export function makeFeeds(
  plan: readonly PlannedInput[],
  seed = 1,
  file?: string,
  values: Readonly<Record<string, number>> = {},
): Record<string, ort.Tensor> {
  const random = seededRandom(seed);
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of plan) {
    const n = count(input.shape);
    const shape = input.shape;
    const constant = constantFor(input, values);
    const draw = constant === undefined ? random : (): number => constant;
    const end = input.valueEnd ?? 10;
    const int = constant === undefined ? (): number => Math.floor(random() * end) : (): number => Math.trunc(constant);
    switch (input.dtype) {
      case 'float32':
        feeds[input.name] = new ort.Tensor('float32', Float32Array.from({ length: n }, draw), shape);
        break;
      case 'float64':
        feeds[input.name] = new ort.Tensor('float64', Float64Array.from({ length: n }, draw), shape);
        break;
      case 'float16':
        feeds[input.name] = new ort.Tensor(
          'float16',
          Uint16Array.from({ length: n }, () => toHalfBits(draw())),
          shape,
        );
        break;
      case 'int8':
        feeds[input.name] = new ort.Tensor('int8', Int8Array.from({ length: n }, int), shape);
        break;
      case 'uint8':
        feeds[input.name] = new ort.Tensor('uint8', Uint8Array.from({ length: n }, int), shape);
        break;
      case 'int16':
        feeds[input.name] = new ort.Tensor('int16', Int16Array.from({ length: n }, int), shape);
        break;
      case 'uint16':
        feeds[input.name] = new ort.Tensor('uint16', Uint16Array.from({ length: n }, int), shape);
        break;
      case 'int32':
        feeds[input.name] = new ort.Tensor('int32', Int32Array.from({ length: n }, int), shape);
        break;
      case 'uint32':
        feeds[input.name] = new ort.Tensor('uint32', Uint32Array.from({ length: n }, int), shape);
        break;
      case 'int64':
        feeds[input.name] = new ort.Tensor(
          'int64',
          BigInt64Array.from({ length: n }, () => BigInt(int())),
          shape,
        );
        break;
      case 'uint64':
        feeds[input.name] = new ort.Tensor(
          'uint64',
          BigUint64Array.from({ length: n }, () => BigInt(int())),
          shape,
        );
        break;
      case 'bool':
        feeds[input.name] = new ort.Tensor(
          'bool',
          Uint8Array.from({ length: n }, () => (random() < 0.5 ? 0 : 1)),
          shape,
        );
        break;
      case 'string':
        feeds[input.name] = new ort.Tensor(
          'string',
          Array.from({ length: n }, () => ''),
          shape,
        );
        break;
      default:
        throw new LitheError('unsupported', `input "${input.name}" has type ${input.dtype}, which Lithe cannot generate yet`, { file });
    }
  }
  return feeds;
}
