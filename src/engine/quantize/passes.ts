import type { Pass } from '../passes/pass';
import { dynamicInt8 } from './dynamic-int8';
import { equalizeChannels } from './equalize/equalize-pass';
import { float16 } from './float16';
import { int4Weights } from './int4-weights';
import { mixedPrecision } from './mixed-precision';
import { staticInt8 } from './static-int8';

/** The quantization passes, in the order recipes usually use them. */
export const QUANTIZATION_PASSES: readonly Pass[] = [dynamicInt8, equalizeChannels, staticInt8, mixedPrecision, float16, int4Weights];
