import { CONV_CONVERTERS } from './ops-conv';
import { ELEMENTWISE_CONVERTERS, type OnnxConverter } from './ops-elementwise';
import { INTEGER_LSTM_CONVERTERS } from './ops-integer-lstm';
import { MATMUL_CONVERTERS } from './ops-matmul';
import { QDQ_CONVERTERS } from './ops-qdq';
import { QLINEAR_CONV_CONVERTERS } from './ops-qlinear-conv';
import { RECURRENT_CONVERTERS } from './ops-recurrent';
import { REDUCE_CONVERTERS } from './ops-reduce';
import { RESIZE_CONVERTERS } from './ops-resize';
import { SHAPE_CONVERTERS } from './ops-shape';

/** ONNX ops (default domain) Lithe translates to TFLite, by op type. */
export const ONNX_CONVERTERS: Readonly<Record<string, OnnxConverter>> = {
  ...ELEMENTWISE_CONVERTERS,
  ...CONV_CONVERTERS,
  ...SHAPE_CONVERTERS,
  ...REDUCE_CONVERTERS,
  ...MATMUL_CONVERTERS,
  ...RESIZE_CONVERTERS,
  ...RECURRENT_CONVERTERS,
  ...INTEGER_LSTM_CONVERTERS,
  ...QDQ_CONVERTERS,
  ...QLINEAR_CONV_CONVERTERS,
};
