import { AddOptionsT } from './generated/tflite/add-options';
import { BuiltinOperator as Op } from './generated/tflite/builtin-operator';
import { BuiltinOptions as Opt } from './generated/tflite/builtin-options';
import { ConcatenationOptionsT } from './generated/tflite/concatenation-options';
import { Conv2DOptionsT } from './generated/tflite/conv2doptions';
import { DepthToSpaceOptionsT } from './generated/tflite/depth-to-space-options';
import { DepthwiseConv2DOptionsT } from './generated/tflite/depthwise-conv2doptions';
import { DequantizeOptionsT } from './generated/tflite/dequantize-options';
import { DivOptionsT } from './generated/tflite/div-options';
import { FullyConnectedOptionsT } from './generated/tflite/fully-connected-options';
import { GatherOptionsT } from './generated/tflite/gather-options';
import { HardSwishOptionsT } from './generated/tflite/hard-swish-options';
import { MulOptionsT } from './generated/tflite/mul-options';
import { PadOptionsT } from './generated/tflite/pad-options';
import { Pool2DOptionsT } from './generated/tflite/pool2doptions';
import { QuantizeOptionsT } from './generated/tflite/quantize-options';
import { ReducerOptionsT } from './generated/tflite/reducer-options';
import { ReshapeOptionsT } from './generated/tflite/reshape-options';
import { ResizeBilinearOptionsT } from './generated/tflite/resize-bilinear-options';
import { SoftmaxOptionsT } from './generated/tflite/softmax-options';
import { SqueezeOptionsT } from './generated/tflite/squeeze-options';
import { StridedSliceOptionsT } from './generated/tflite/strided-slice-options';
import { SubOptionsT } from './generated/tflite/sub-options';
import { TransposeOptionsT } from './generated/tflite/transpose-options';
import { UnidirectionalSequenceLSTMOptionsT } from './generated/tflite/unidirectional-sequence-lstmoptions';
import { LeakyReluOptionsT } from './generated/tflite/leaky-relu-options';
import { ResizeNearestNeighborOptionsT } from './generated/tflite/resize-nearest-neighbor-options';
import { SpaceToDepthOptionsT } from './generated/tflite/space-to-depth-options';
import type { TfliteOptionsTable } from './tflite-model';

/** The options union member and a fresh table for the builtin ops Lithe creates itself. */
export const OPTIONS_FOR_OP: Partial<Record<Op, [Opt, () => TfliteOptionsTable]>> = {
  [Op.ADD]: [Opt.AddOptions, () => new AddOptionsT()],
  [Op.SUB]: [Opt.SubOptions, () => new SubOptionsT()],
  [Op.MUL]: [Opt.MulOptions, () => new MulOptionsT()],
  [Op.DIV]: [Opt.DivOptions, () => new DivOptionsT()],
  [Op.CONV_2D]: [Opt.Conv2DOptions, () => new Conv2DOptionsT()],
  [Op.DEPTHWISE_CONV_2D]: [Opt.DepthwiseConv2DOptions, () => new DepthwiseConv2DOptionsT()],
  [Op.FULLY_CONNECTED]: [Opt.FullyConnectedOptions, () => new FullyConnectedOptionsT()],
  [Op.AVERAGE_POOL_2D]: [Opt.Pool2DOptions, () => new Pool2DOptionsT()],
  [Op.MAX_POOL_2D]: [Opt.Pool2DOptions, () => new Pool2DOptionsT()],
  [Op.MEAN]: [Opt.ReducerOptions, () => new ReducerOptionsT()],
  [Op.SUM]: [Opt.ReducerOptions, () => new ReducerOptionsT()],
  [Op.REDUCE_MAX]: [Opt.ReducerOptions, () => new ReducerOptionsT()],
  [Op.PAD]: [Opt.PadOptions, () => new PadOptionsT()],
  [Op.RESHAPE]: [Opt.ReshapeOptions, () => new ReshapeOptionsT()],
  [Op.TRANSPOSE]: [Opt.TransposeOptions, () => new TransposeOptionsT()],
  [Op.CONCATENATION]: [Opt.ConcatenationOptions, () => new ConcatenationOptionsT()],
  [Op.SOFTMAX]: [Opt.SoftmaxOptions, () => new SoftmaxOptionsT()],
  [Op.RESIZE_BILINEAR]: [Opt.ResizeBilinearOptions, () => new ResizeBilinearOptionsT()],
  [Op.DEPTH_TO_SPACE]: [Opt.DepthToSpaceOptions, () => new DepthToSpaceOptionsT()],
  [Op.SPACE_TO_DEPTH]: [Opt.SpaceToDepthOptions, () => new SpaceToDepthOptionsT()],
  [Op.RESIZE_NEAREST_NEIGHBOR]: [Opt.ResizeNearestNeighborOptions, () => new ResizeNearestNeighborOptionsT()],
  [Op.LEAKY_RELU]: [Opt.LeakyReluOptions, () => new LeakyReluOptionsT()],
  [Op.STRIDED_SLICE]: [Opt.StridedSliceOptions, () => new StridedSliceOptionsT()],
  [Op.DEQUANTIZE]: [Opt.DequantizeOptions, () => new DequantizeOptionsT()],
  [Op.QUANTIZE]: [Opt.QuantizeOptions, () => new QuantizeOptionsT()],
  [Op.HARD_SWISH]: [Opt.HardSwishOptions, () => new HardSwishOptionsT()],
  [Op.GATHER]: [Opt.GatherOptions, () => new GatherOptionsT()],
  [Op.SQUEEZE]: [Opt.SqueezeOptions, () => new SqueezeOptionsT()],
  [Op.UNIDIRECTIONAL_SEQUENCE_LSTM]: [Opt.UnidirectionalSequenceLSTMOptions, () => new UnidirectionalSequenceLSTMOptionsT()],
};
