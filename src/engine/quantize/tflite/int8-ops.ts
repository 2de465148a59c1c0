import type { QuantParams } from '../quant-math';

/**
 * What full-integer TFLite needs to know about an operator that has int8 kernels (facts from the
 * TFLite quantization specification): which inputs carry data, which are weights and along which
 * axis their scales run, whether inputs and outputs must share one scale (operators that only move
 * bytes), and outputs whose scale the kernel fixes.
 */
export interface Int8Op {
  /** Operator version the int8 kernel needs (the op's version is raised to at least this). */
  version: number;
  /** Inputs holding float data to quantize (constants among them are quantized like activations). Default: every input. */
  data?: readonly number[];
  /** Weight inputs, stored int8 symmetric, per channel along `axis` (per tensor when `axis` is undefined). */
  weights?: readonly { input: number; axis: number | undefined }[];
  /** Bias input: int32 with scale = input scale × weight scale. */
  bias?: { input: number; data: number; weight: number };
  /** Data inputs and outputs must share one scale and zero point (the kernel copies bytes). */
  sameScale?: boolean;
  /** The kernel's fixed output quantization. */
  output?: QuantParams;
  /**
   * The operator also has a 16x8 kernel (int16 activations, symmetric, zero point 0; int8 weights;
   * int64 bias): the version that needs, and its fixed output quantization where there is one.
   */
  int16?: { version: number; output?: QuantParams };
}

const SAME = { version: 2, sameScale: true, data: [0] } as const;
const SAME16 = { ...SAME, int16: { version: 3 } } as const;
const UNIT16 = { scale: 1 / 32768, zeroPoint: 0 } as const;

/** TFLite builtin operators with int8 kernels, by name. */
export const INT8_OPS: Readonly<Record<string, Int8Op>> = {
  CONV_2D: { version: 3, data: [0], weights: [{ input: 1, axis: 0 }], bias: { input: 2, data: 0, weight: 1 }, int16: { version: 4 } },
  DEPTHWISE_CONV_2D: {
    version: 3,
    data: [0],
    weights: [{ input: 1, axis: 3 }],
    bias: { input: 2, data: 0, weight: 1 },
    int16: { version: 5 },
  },
  TRANSPOSE_CONV: { version: 2, data: [2], weights: [{ input: 1, axis: 0 }], bias: { input: 3, data: 2, weight: 1 } },
  FULLY_CONNECTED: {
    version: 4,
    data: [0],
    weights: [{ input: 1, axis: 0 }],
    bias: { input: 2, data: 0, weight: 1 },
    int16: { version: 7 },
  },
  ADD: { version: 2, int16: { version: 3 } },
  SUB: { version: 2, int16: { version: 5 } },
  MUL: { version: 2, int16: { version: 4 } },
  MAXIMUM: { version: 2, sameScale: true, int16: { version: 4 } },
  MINIMUM: { version: 2, sameScale: true, int16: { version: 4 } },
  CONCATENATION: { version: 2, sameScale: true, int16: { version: 3 } },
  AVERAGE_POOL_2D: SAME16,
  MAX_POOL_2D: SAME16,
  RESHAPE: { version: 1, sameScale: true, data: [0], int16: { version: 1 } },
  SQUEEZE: { version: 1, sameScale: true, data: [0] },
  EXPAND_DIMS: { version: 1, sameScale: true, data: [0] },
  TRANSPOSE: { ...SAME, int16: { version: 5 } },
  PAD: { ...SAME, int16: { version: 3 } },
  PADV2: { version: 2, sameScale: true, data: [0, 2] },
  MIRROR_PAD: SAME,
  SLICE: SAME,
  STRIDED_SLICE: SAME,
  GATHER: SAME,
  SPLIT: { version: 2, sameScale: true, data: [1] },
  SPLIT_V: SAME,
  PACK: { version: 2, sameScale: true },
  UNPACK: SAME,
  DEPTH_TO_SPACE: SAME,
  SPACE_TO_DEPTH: SAME,
  BATCH_TO_SPACE_ND: SAME,
  SPACE_TO_BATCH_ND: SAME,
  RESIZE_BILINEAR: { ...SAME, int16: { version: 4 } },
  RESIZE_NEAREST_NEIGHBOR: { ...SAME, int16: { version: 4 } },
  MEAN: { version: 2, data: [0], int16: { version: 3 } },
  SUM: { version: 2, data: [0] },
  REDUCE_MAX: { version: 2, sameScale: true, data: [0] },
  RELU: { version: 2, int16: { version: 3 } },
  RELU6: { version: 2, int16: { version: 3 } },
  RELU_N1_TO_1: { version: 1 },
  LEAKY_RELU: { version: 2, int16: { version: 2 } },
  HARD_SWISH: { version: 1 },
  PRELU: { version: 1 },
  LOGISTIC: { version: 2, output: { scale: 1 / 256, zeroPoint: -128 }, int16: { version: 3, output: UNIT16 } },
  TANH: { version: 2, output: { scale: 1 / 128, zeroPoint: 0 }, int16: { version: 3, output: UNIT16 } },
  SOFTMAX: { version: 2, output: { scale: 1 / 256, zeroPoint: -128 }, int16: { version: 3, output: UNIT16 } },
  LOG_SOFTMAX: { version: 2, output: { scale: 16 / 256, zeroPoint: 127 } },
  L2_NORMALIZATION: { version: 2, output: { scale: 1 / 128, zeroPoint: 0 } },
};
