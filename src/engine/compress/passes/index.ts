import type { Pass } from '../../passes/pass';
import { clusterWeightsPass } from './cluster-weights';
import { fineTuneCompressedPass } from './fine-tune-compressed';
import { pruneChannels } from './prune-channels';
import { pruneGradual } from './prune-gradual';
import { pruneMagnitude } from './prune-magnitude';
import { tfliteSparseWeights } from './tflite-sparse-weights';

/** The weight-compression passes: pruning (one-shot, gradual, whole channels), clustering, fine-tuning that keeps both, sparse TFLite storage. */
export const COMPRESSION_PASSES: readonly Pass[] = [
  pruneMagnitude,
  pruneGradual,
  pruneChannels,
  clusterWeightsPass,
  fineTuneCompressedPass,
  tfliteSparseWeights,
];
