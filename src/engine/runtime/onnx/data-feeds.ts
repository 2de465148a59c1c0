import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { LitheError } from '../../errors';
import { decodeOnnxTensor } from '../../formats/onnx/read';
import type { DeclaredInput, PlannedInput } from './input-plan';

/** The `input_<n>.pb` files of a folder (or of its `test_data_set_0`), in index order. */
function inputFiles(folder: string): string[] {
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir)
        .filter((name) => /^input_\d+\.pb$/.test(name))
        .sort((x, y) => Number(x.slice(6, -3)) - Number(y.slice(6, -3)))
        .map((name) => join(dir, name));
    } catch {
      return [];
    }
  };
  const direct = list(folder);
  if (direct.length > 0) return direct;
  const nested = join(folder, 'test_data_set_0');
  return statSync(nested, { throwIfNoEntry: false })?.isDirectory() ? list(nested) : [];
}

/**
 * Reads model inputs from a folder in the ONNX test-data layout: `input_0.pb`, `input_1.pb`, …
 * (serialized TensorProto), directly in the folder or in its `test_data_set_0`. A tensor is
 * matched to an input by name, else by position; its dtype must be the input's.
 */
export function readDataFeeds(
  folder: string,
  declared: readonly DeclaredInput[],
  model?: string,
): { inputs: PlannedInput[]; feeds: Record<string, ort.Tensor> } {
  const files = inputFiles(folder);
  if (files.length === 0)
    throw new LitheError('invalid-argument', 'the data folder has no input_<n>.pb files (ONNX test-data layout)', { file: folder });
  const tensors = files.map((file) => ({ file, tensor: decodeOnnxTensor(readFileSync(file), { file }) }));
  const feeds: Record<string, ort.Tensor> = {};
  const inputs = declared.map((input, position): PlannedInput => {
    const found = tensors.find((entry) => entry.tensor.name === input.name) ?? tensors[position];
    if (!found) throw new LitheError('invalid-argument', `the data folder has no tensor for input "${input.name}"`, { file: folder });
    const { tensor, file } = found;
    if (tensor.dtype !== input.dtype)
      throw new LitheError('invalid-argument', `input "${input.name}" is ${input.dtype} but the data is ${tensor.dtype}`, { file });
    if (tensor.dtype === 'string')
      throw new LitheError('unsupported', `string input "${input.name}" cannot be read from data files yet`, { file });
    const data = tensor.toTypedArray().slice();
    feeds[input.name] = new ort.Tensor(input.dtype as 'float32', data as Float32Array, tensor.dims);
    return {
      name: input.name,
      dtype: input.dtype,
      shape: [...tensor.dims],
      declaredShape: [...input.shape],
      assumed: [`values from ${file}`],
    };
  });
  if (model && inputs.length === 0) throw new LitheError('invalid-argument', 'the model has no inputs to feed', { file: model });
  return { inputs, feeds };
}
