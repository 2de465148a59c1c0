import type { TracedNode, TracedTensor } from '../bench/profile-trace';

/** Arithmetic and memory traffic of one operator execution. */
export interface OpCost {
  name: string;
  opType: string;
  macs: number;
  bytes: number;
  /** Part of `bytes` in tensors too large to stay in cache ({@link CACHE_RESIDENT_BYTES}). */
  largeBytes: number;
  /** Runs on int8/uint8 data (int8 kernels). */
  int8: boolean;
  /** Part of `bytes` in float16/bfloat16 tensors: twice as many once widened to float32 (see `widensFloat16`). */
  float16Bytes: number;
  /** Part of `largeBytes` in float16/bfloat16 tensors. */
  largeFloat16Bytes: number;
}

/** Tensors up to this size are assumed to stay in the CPU's caches between operators. */
export const CACHE_RESIDENT_BYTES = 1024 * 1024;

const DTYPE_BYTES: Record<string, number> = {
  float: 4,
  float32: 4,
  double: 8,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int4: 0.5,
  uint4: 0.5,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
};

/** A 16-bit float type, as ONNX Runtime's profiler or the IR names it. */
export const isFloat16 = (dtype: string): boolean => dtype === 'float16' || dtype === 'bfloat16';

/** Bytes of one element of a type as ONNX Runtime's profiler or the IR names it (4 when unknown). */
export const elementBytes = (dtype: string): number => DTYPE_BYTES[dtype] ?? 4;

const elements = (tensor: TracedTensor | undefined): number =>
  tensor ? tensor.shape.reduce((product, dim) => product * Math.max(dim, 0), 1) : 0;
const tensorBytes = (tensor: TracedTensor): number => elements(tensor) * elementBytes(tensor.dtype);
const tail = (tensor: TracedTensor | undefined, from: number): number =>
  tensor ? tensor.shape.slice(from).reduce((product, dim) => product * dim, 1) : 0;
const last = (tensor: TracedTensor | undefined): number => tensor?.shape.at(-1) ?? 0;

/** Position of the weight input of convolution-like operators. */
const CONV_WEIGHT = new Map([
  ['Conv', 1],
  ['FusedConv', 1],
  ['ConvInteger', 1],
  ['NhwcConv', 1],
  ['QLinearConv', 3],
]);
/** Position of the left input of matrix-product operators. */
const MATMUL_LEFT = new Map([
  ['MatMul', 0],
  ['FusedMatMul', 0],
  ['MatMulInteger', 0],
  ['QLinearMatMul', 0],
  ['DynamicQuantizeMatMul', 0],
  ['FusedGemm', 0],
  ['Gemm', 0],
]);
const INT8_OPS = new Set([
  'QLinearConv',
  'QLinearMatMul',
  'ConvInteger',
  'MatMulInteger',
  'DynamicQuantizeMatMul',
  'QGemm',
  'QLinearAdd',
  'QLinearMul',
]);

/**
 * Multiply-accumulates from the shapes ONNX Runtime actually ran with: Conv = output elements ×
 * (input channels per group × kernel size); MatMul/Gemm = output elements × the shared dimension;
 * ConvTranspose = input elements × (output channels per group × kernel size); LSTM/GRU/RNN =
 * steps × batch × directions × gate rows × (input + hidden). Other operators count 0 MACs and are
 * costed by the bytes they move.
 */
export function macsOf(node: TracedNode): number {
  const output = node.outputs[0];
  const op = node.opType;
  const convWeight = CONV_WEIGHT.get(op);
  if (convWeight !== undefined) return elements(output) * tail(node.inputs[convWeight], 1);
  if (op === 'ConvTranspose') return elements(node.inputs[0]) * tail(node.inputs[1], 1);
  const matmulLeft = MATMUL_LEFT.get(op);
  if (matmulLeft !== undefined) {
    const left = node.inputs[matmulLeft];
    if (op === 'Gemm' || op === 'FusedGemm') {
      const rows = output?.shape[0] ?? 1;
      return rows > 0 ? elements(output) * (elements(left) / rows) : 0;
    }
    return elements(output) * last(left);
  }
  if (op === 'LSTM' || op === 'GRU' || op === 'RNN') {
    const [x, w, r] = node.inputs;
    const [steps, batch, features] = x?.shape ?? [];
    const [directions, gateRows] = w?.shape ?? [];
    const hidden = r?.shape[2];
    if (steps === undefined || batch === undefined || features === undefined) return 0;
    if (directions === undefined || gateRows === undefined || hidden === undefined) return 0;
    return steps * batch * directions * gateRows * (features + hidden);
  }
  return 0;
}

/**
 * The operator reads only weights (ONNX Runtime's profile: parameter inputs, no activation input),
 * e.g. the Cast ONNX Runtime inserts before float16 weights on a CPU without float16 kernels. A
 * runtime computes such a value once, when it loads the model: it is no part of an inference.
 */
export const readsOnlyWeights = (node: TracedNode): boolean => node.parameterBytes > 0 && node.activationBytes === 0;

/** Cost of one traced operator execution. */
export function opCost(node: TracedNode): OpCost {
  const tensors = [...node.inputs, ...node.outputs].map((tensor) => ({ size: tensorBytes(tensor), half: isFloat16(tensor.dtype) }));
  const sum = (list: readonly { size: number }[]): number => list.reduce((total, entry) => total + entry.size, 0);
  const large = tensors.filter((entry) => entry.size > CACHE_RESIDENT_BYTES);
  const bytes = sum(tensors);
  const largeBytes = sum(large);
  const main = node.inputs[0];
  const int8 = INT8_OPS.has(node.opType) || main?.dtype === 'int8' || main?.dtype === 'uint8';
  return {
    name: node.name,
    opType: node.opType,
    macs: macsOf(node),
    bytes,
    largeBytes,
    int8,
    float16Bytes: sum(tensors.filter((entry) => entry.half)),
    largeFloat16Bytes: sum(large.filter((entry) => entry.half)),
  };
}
