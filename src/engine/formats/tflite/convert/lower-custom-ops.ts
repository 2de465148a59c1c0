// MediaPipe's Convolution2DTransposeBias as TFLite's own TRANSPOSE_CONV (version 3 takes the bias as a
// fourth input), so a TFLite runtime without MediaPipe's kernels can run the model. Its options struct
// (padding 1 SAME / 2 VALID, stride_width, stride_height) becomes TransposeConvOptions; the output shape,
// which the custom op takes from its output tensor, becomes a constant int32 input.
import { BuiltinOperator } from '../generated/tflite/builtin-operator';
import { BuiltinOptions } from '../generated/tflite/builtin-options';
import { Padding } from '../generated/tflite/padding';
import { TensorType } from '../generated/tflite/tensor-type';
import { TransposeConvOptionsT } from '../generated/tflite/transpose-conv-options';
import type { TfliteModel, TfliteOperator, TfliteSubgraph } from '../tflite-model';

const TRANSPOSE_CONV_BIAS = 'Convolution2DTransposeBias';

/** Result of {@link lowerCustomOps}. */
export interface LoweredCustomOps {
  model: TfliteModel;
  /** The custom codes replaced, once each. */
  lowered: string[];
}

/** The options struct of Convolution2DTransposeBias (TfLiteTransposeConvParams), when it can be read. */
export interface TransposeConvBiasParams {
  same: boolean;
  strideW: number;
  strideH: number;
}

/** Reads the raw TfLiteTransposeConvParams: int32 padding (1 SAME, 2 VALID), stride_width, stride_height. */
export function transposeConvBiasParams(options: Uint8Array | null | undefined): TransposeConvBiasParams | undefined {
  if (!options || options.byteLength < 12) return undefined;
  const view = new DataView(options.buffer, options.byteOffset, options.byteLength);
  const [padding, strideW, strideH] = [0, 1, 2].map((i) => view.getInt32(4 * i, true));
  if ((padding !== 1 && padding !== 2) || !strideW || !strideH || strideW < 1 || strideH < 1) return undefined;
  return { same: padding === 1, strideW, strideH };
}

/**
 * The output shape MediaPipe's kernel computes (it ignores the stored one): s·(in − 1) + k − p per axis,
 * p = max(0, k − (in − 1) mod s − 1) with SAME padding, 0 with VALID.
 */
export function transposeConvBiasShape(input: readonly number[], filter: readonly number[], p: TransposeConvBiasParams): number[] {
  const size = (n: number, k: number, s: number): number => s * (n - 1) + k - (p.same ? Math.max(0, k - ((n - 1) % s) - 1) : 0);
  return [input[0] ?? 1, size(input[1] ?? 1, filter[1] ?? 1, p.strideH), size(input[2] ?? 1, filter[2] ?? 1, p.strideW), filter[0] ?? 1];
}

/**
 * `model` with every Convolution2DTransposeBias replaced by TRANSPOSE_CONV (a copy; the input is not changed).
 * An operator whose options cannot be read stays as it is.
 */
export function lowerCustomOps(model: TfliteModel): LoweredCustomOps {
  const codeIndex = model.operatorCodes.findIndex((c) => c.customCode === TRANSPOSE_CONV_BIAS);
  if (codeIndex < 0) return { model, lowered: [] };
  const buffers = [...model.buffers];
  const operatorCodes = [...model.operatorCodes];
  const code = BuiltinOperator.TRANSPOSE_CONV;
  operatorCodes.push({ code, builtinCode: code, deprecatedBuiltinCode: code, customCode: null, version: 3 });
  const transposeConv = operatorCodes.length - 1;
  let lowered = false;
  const subgraphs = model.subgraphs.map((graph): TfliteSubgraph => {
    const tensors = [...graph.tensors];
    const operators = graph.operators.map((op): TfliteOperator => {
      const params = op.opcodeIndex === codeIndex ? transposeConvBiasParams(op.customOptions) : undefined;
      const [input, filter, bias] = op.inputs;
      const output = tensors[op.outputs[0] ?? -1];
      const [x, w] = [tensors[input ?? -1], tensors[filter ?? -1]];
      if (!params || !x || !w || !output || input === undefined || filter === undefined || bias === undefined) return op;
      const shape = transposeConvBiasShape(x.shape ?? [], w.shape ?? [], params);
      buffers.push({ data: new Uint8Array(Int32Array.from(shape).buffer), external: false });
      tensors.push({
        ...output,
        name: `${output.name}_shape`,
        shape: [4],
        type: TensorType.INT32,
        buffer: buffers.length - 1,
        quantization: null,
        shapeSignature: null,
      });
      lowered = true;
      return {
        ...op,
        opcodeIndex: transposeConv,
        inputs: [tensors.length - 1, filter, input, bias],
        builtinOptions: {
          type: BuiltinOptions.TransposeConvOptions,
          table: new TransposeConvOptionsT(params.same ? Padding.SAME : Padding.VALID, params.strideW, params.strideH),
          absentVectors: [],
        },
        customOptions: null,
      };
    });
    return { ...graph, tensors, operators };
  });
  if (!lowered) return { model, lowered: [] };
  return { model: { ...model, operatorCodes, buffers, subgraphs }, lowered: [TRANSPOSE_CONV_BIAS] };
}
