import { eliminateDeadCode } from './eliminate-dead-code';
import { fixDimensions } from './fix-dimensions';
import { fixTfliteQuantization } from './fix-tflite-quantization';
import { foldBatchnorm } from './fold-batchnorm';
import { foldConstants } from './fold-constants';
import { fuseActivation } from './fuse-activation';
import { fuseMatmulAdd } from './fuse-matmul-add';
import type { Pass } from './pass';
import { removeIdentity } from './remove-identity';
import { upgradeOpset } from './upgrade-opset';
import { QUANTIZATION_PASSES } from '../quantize/passes';
import { COMPRESSION_PASSES } from '../compress/passes';
import { int4Qat, int8Qat } from '../train/qat/qat-pass';
import { distillWidth } from '../train/distill/distill-pass';

/** Every graph pass Lithe has, in a sensible default order. */
export const PASSES: readonly Pass[] = [
  upgradeOpset,
  fixTfliteQuantization,
  fixDimensions,
  removeIdentity,
  foldConstants,
  foldBatchnorm,
  fuseMatmulAdd,
  fuseActivation,
  eliminateDeadCode,
  ...QUANTIZATION_PASSES,
  ...COMPRESSION_PASSES,
  int8Qat,
  int4Qat,
  distillWidth,
];

/** The pass called `name`, or `undefined`. */
export function passByName(name: string): Pass | undefined {
  return PASSES.find((p) => p.name === name);
}
