import { LitheError } from '../errors';
import type { Model } from '../ir/model';
import type { Dim } from '../ir/shape';

/** How a model's image-like input is laid out, derived from its declared shape. */
export interface InputLayout {
  name: string;
  /** `NCHW`/`NHWC` for images, `NHW` for single-channel rank-3 inputs, `flat` otherwise. */
  kind: 'NCHW' | 'NHWC' | 'NHW' | 'flat';
  /** Shape of one sample (no batch dimension); unknown sizes are `0` until data decides them. */
  sampleDims: number[];
  channels: number;
  height: number;
  width: number;
  /** Batch size the model accepts, when fixed (e.g. 1 for most TFLite models). */
  fixedBatch?: number;
}

/** The layout of the model's first real input (initializers excluded). */
export function inputLayout(model: Model, size?: { height: number; width: number }): InputLayout {
  const initializers = new Set(model.graph.initializers.map((t) => t.name));
  const input = model.graph.inputs.find((v) => !initializers.has(v.name));
  if (!input) throw new LitheError('invalid-argument', 'The model has no inputs to feed data to.');
  const type = input.type;
  if (type?.kind !== 'tensor' || !type.shape)
    throw new LitheError('unsupported', `The input "${input.name}" has no known shape, so data cannot be laid out for it.`);
  return layoutFromShape(input.name, type.shape, size);
}

/** The layout for an input `name` of `shape` (first dimension = batch). */
export function layoutFromShape(name: string, shape: readonly Dim[], size?: { height: number; width: number }): InputLayout {
  const dims = shape.map((d) => (typeof d === 'number' && d > 0 ? d : 0));
  const fixedBatch = dims[0] && dims[0] > 0 ? dims[0] : undefined;
  const rest = dims.slice(1);
  const base = { name, ...(fixedBatch ? { fixedBatch } : {}) };
  if (rest.length === 3) {
    const [a, b, c] = rest as [number, number, number];
    // Gray/RGB channel counts decide; 4 (RGBA) only when the other end cannot be channels.
    const small = (d: number): boolean => d === 1 || d === 3;
    const channelsLast = (small(c) && !small(a)) || (c === 4 && !small(a) && a !== 4);
    if (channelsLast) {
      const height = a || size?.height || 0;
      const width = b || size?.width || 0;
      return { ...base, kind: 'NHWC', channels: c, height, width, sampleDims: [height, width, c] };
    }
    const height = b || size?.height || 0;
    const width = c || size?.width || 0;
    return { ...base, kind: 'NCHW', channels: a || 3, height, width, sampleDims: [a || 3, height, width] };
  }
  if (rest.length === 2) {
    const height = rest[0] || size?.height || 0;
    const width = rest[1] || size?.width || 0;
    return { ...base, kind: 'NHW', channels: 1, height, width, sampleDims: [height, width] };
  }
  return {
    ...base,
    kind: 'flat',
    channels: 1,
    height: 1,
    width: rest.reduce((n, d) => n * (d || 1), 1),
    sampleDims: rest.map((d) => d || 1),
  };
}

/** Elements in one sample of this layout. */
export function sampleSize(layout: { sampleDims: readonly number[] }): number {
  return layout.sampleDims.reduce((n, d) => n * d, 1);
}
