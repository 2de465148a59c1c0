import type { GradRule } from '../rule';
import { averagePoolRule } from './average-pool';
import { batchNormRule } from './batch-norm';
import { clipRule } from './clip';
import { concatRule, splitRule } from './concat-split';
import { convRule } from './conv';
import { convTransposeRule } from './conv-transpose';
import { dropoutRule } from './dropout';
import { elementwiseBinaryRule, sumRule } from './elementwise-binary';
import { elementwiseUnaryRule } from './elementwise-unary';
import { gemmRule } from './gemm';
import { hardActivationsRule } from './hard-activations';
import { matmulRule } from './matmul';
import { maxPoolRule } from './max-pool';
import { quantizeLinearRule } from './quantize-linear';
import { reduceRule } from './reduce';
import { reluRule } from './relu';
import { reshapeRule, transposeRule } from './reshape';
import { sigmoidTanhRule } from './sigmoid-tanh';
import { slicePadGatherRule } from './slice-pad-gather';
import { softmaxRule } from './softmax';

/** Every gradient rule, one per operator family. */
export const GRAD_RULES: readonly GradRule[] = [
  convRule,
  convTransposeRule,
  gemmRule,
  matmulRule,
  elementwiseBinaryRule,
  sumRule,
  elementwiseUnaryRule,
  reluRule,
  clipRule,
  sigmoidTanhRule,
  hardActivationsRule,
  softmaxRule,
  maxPoolRule,
  averagePoolRule,
  batchNormRule,
  reshapeRule,
  transposeRule,
  concatRule,
  splitRule,
  slicePadGatherRule,
  dropoutRule,
  reduceRule,
  quantizeLinearRule,
];

const BY_OP = new Map(GRAD_RULES.flatMap((rule) => rule.ops.map((op) => [op, rule] as const)));

/** The rule for an operator of the default ONNX domain, if there is one. */
export function ruleFor(opType: string, domain = ''): GradRule | undefined {
  return domain === '' || domain === 'ai.onnx' ? BY_OP.get(opType) : undefined;
}
