import { LitheError } from '../errors';
import type { DataBatch, DataSource } from './batch';
import { sampleSize, type InputLayout } from './input-layout';
import type { Normalization } from './normalize';
import { writeSample } from './sample-writer';

/** Where the samples of a tensor file come from. */
export interface TensorRecords {
  description: string;
  count: number;
  /** Shape of one record as stored. */
  recordDims: number[];
  /** True for 8-bit integer pixels (normalized with the preset, `0-1` by default). */
  pixels: boolean;
  /** Streams records, `group` at a time. */
  read(group: number): AsyncGenerator<ArrayLike<number>[]>;
}

/** A data source over stored tensors (IDX, .npy/.npz, raw float32), laid out for `layout`. */
export function tensorSource(
  records: TensorRecords,
  layout: InputLayout,
  normalization: Normalization | undefined,
  labels: Int32Array | undefined,
  file?: string,
): DataSource {
  const recordSize = records.recordDims.reduce((n, d) => n * d, 1);
  const resolved = resolveDims(layout, records.recordDims);
  if (sampleSize(resolved) !== recordSize) {
    throw new LitheError(
      'invalid-argument',
      `Each sample holds ${recordSize} values (${records.recordDims.join('×')}) but the model input "${layout.name}" takes ${layout.sampleDims.map((d) => d || '?').join('×')}.`,
      { file },
    );
  }
  const last = records.recordDims[records.recordDims.length - 1];
  const channelsLast = records.recordDims.length === 3 && last === resolved.channels;
  const norm = normalization ?? (records.pixels ? { scale: 255, mean: [0], std: [1] } : undefined);
  return {
    description: records.description,
    count: records.count,
    random: false,
    labeled: labels !== undefined,
    sampleDims: resolved.sampleDims,
    async *batches(size, limit) {
      const total = Math.min(records.count, limit ?? Infinity);
      let done = 0;
      let batch = newBatch(size, resolved, labels !== undefined);
      for await (const group of records.read(size)) {
        for (const record of group) {
          if (done >= total) break;
          writeSample(batch.data, batch.count * recordSize, record, resolved, norm, channelsLast);
          if (batch.labels) batch.labels[batch.count] = labels?.[done] ?? -1;
          batch.count++;
          done++;
          if (batch.count === size) {
            yield batch;
            batch = newBatch(size, resolved, labels !== undefined);
          }
        }
        if (done >= total) break;
      }
      if (batch.count) yield trim(batch, recordSize);
    },
  };
}

function resolveDims(layout: InputLayout, recordDims: number[]): InputLayout {
  if (layout.sampleDims.every((d) => d > 0)) return layout;
  const [h, w] = recordHeightWidth(recordDims, layout.channels);
  const height = layout.height || h;
  const width = layout.width || w;
  const sampleDims =
    layout.kind === 'NCHW'
      ? [layout.channels, height, width]
      : layout.kind === 'NHWC'
        ? [height, width, layout.channels]
        : layout.kind === 'NHW'
          ? [height, width]
          : recordDims;
  return { ...layout, height, width, sampleDims };
}

/** Height and width of a stored record: [H,W], [C,H,W] (channels first) or [H,W,C]. */
function recordHeightWidth(recordDims: readonly number[], channels: number): [number, number] {
  if (recordDims.length === 3) {
    const channelsFirst = recordDims[0] === channels && recordDims[2] !== channels;
    return channelsFirst ? [recordDims[1]!, recordDims[2]!] : [recordDims[0]!, recordDims[1]!];
  }
  if (recordDims.length === 2) return [recordDims[0]!, recordDims[1]!];
  return [1, recordDims[0] ?? 1];
}

function newBatch(size: number, layout: InputLayout, labeled: boolean): DataBatch {
  return { data: new Float32Array(size * sampleSize(layout)), count: 0, ...(labeled ? { labels: new Int32Array(size) } : {}) };
}

function trim(batch: DataBatch, recordSize: number): DataBatch {
  return {
    data: batch.data.subarray(0, batch.count * recordSize),
    count: batch.count,
    ...(batch.labels ? { labels: batch.labels.subarray(0, batch.count) } : {}),
  };
}
