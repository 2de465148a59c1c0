// MediaPipe's custom TFLite ops that have exact ONNX equivalents. Their options are C structs stored raw
// in the operator's custom options (not flexbuffers): TfLiteTransposeConvParams is three int32s, padding
// (TfLitePadding: 1 SAME, 2 VALID), stride_width, stride_height.
import { transposeConvBiasParams, transposeConvBiasShape } from './lower-custom-ops';
import { emitTransposeConv } from './ops-conv-pool';
import { cannot, type OpContext } from './op-context';

/** Convolution2DTransposeBias(input, filter [O,KH,KW,I], bias [O]): TRANSPOSE_CONV plus bias, output shape as MediaPipe computes it. */
function transposeConvBias(ctx: OpContext): void {
  const attr = ctx.node.attribute('custom_options');
  const params = transposeConvBiasParams(attr?.value.kind === 'string' ? attr.value.value : undefined);
  if (!params) cannot('its options must be padding (1 SAME or 2 VALID), stride width and stride height as 32-bit integers');
  if (!ctx.has(2)) cannot('the bias input is missing');
  emitTransposeConv(ctx, {
    input: 0,
    filter: 1,
    bias: 2,
    outShape: transposeConvBiasShape(ctx.facts(0).shape, ctx.facts(1).shape, params),
    same: params.same,
    strideH: params.strideH,
    strideW: params.strideW,
    activation: 0,
  });
}

/** Converters for custom ops, by custom code. */
export const CUSTOM_OPS: Record<string, (ctx: OpContext) => void> = {
  Convolution2DTransposeBias: transposeConvBias,
};
