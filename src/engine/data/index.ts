export type { DataBatch, DataSource } from './batch';
export { inputLayout, layoutFromShape, sampleSize, type InputLayout } from './input-layout';
export { NORMALIZE_PRESETS, parseNormalization, type Normalization } from './normalize';
export { openData, type DataOptions } from './open-data';
export { randomSource, RANDOM_DATA_WARNING } from './random-source';
export { readIdxHeader, readIdxLabels } from './idx';
export { parseNpy, type NpyArray } from './npy';
export { listImages, decodeImage } from './image-folder';
