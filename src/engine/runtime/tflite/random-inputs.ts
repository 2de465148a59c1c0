import type { TfliteTensorInfo, TfliteTypedArray } from './tflite-tensor-info';

export { seededRandom } from '../../util/seeded-random';

/**
 * Random data for one input: floats in [0, 1), integers over the type's range (quantized inputs
 * thereby cover their whole real range), booleans 0/1.
 */
export function randomInput(info: TfliteTensorInfo, random: () => number): TfliteTypedArray {
  const size = info.shape.reduce((a, b) => a * Math.max(1, b), 1);
  const fill = <T extends TfliteTypedArray>(array: T, f: () => number): T => {
    for (let i = 0; i < array.length; i++) array[i] = f();
    return array;
  };
  const int = (lo: number, hi: number) => () => lo + Math.floor(random() * (hi - lo + 1));
  switch (info.dtype) {
    case 'float32':
      return fill(new Float32Array(size), random);
    case 'float64':
      return fill(new Float64Array(size), random);
    case 'int8':
      return fill(new Int8Array(size), int(-128, 127));
    case 'uint8':
      return fill(new Uint8Array(size), int(0, 255));
    case 'bool':
      return fill(new Uint8Array(size), int(0, 1));
    case 'int16':
      return fill(new Int16Array(size), int(-32768, 32767));
    case 'int32':
      return fill(new Int32Array(size), int(0, 100));
    case 'uint32':
      return fill(new Uint32Array(size), int(0, 100));
  }
}
