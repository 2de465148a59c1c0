import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DataCheck, DataCheckArgs, SamplePreview } from '../../contract';
import type { EngineContext } from '../context';
import { LitheError, reasonOf, throwIfCancelled } from '../errors';
import { loadModel } from '../formats/model-io';
import type { DataBatch } from './batch';
import { idxImagesIn } from './idx';
import { inputLayout, type InputLayout } from './input-layout';
import { openData } from './open-data';

const PREVIEW = 6;
const THUMB = 48;

/**
 * Checks example data against a model before anything runs: can it be read, how many samples, are there
 * labels, does one sample have the model input's shape; and a few samples as small pictures.
 */
export async function checkData(args: DataCheckArgs, ctx: EngineContext = {}): Promise<DataCheck> {
  const { model } = await loadModel(args.model, ctx);
  throwIfCancelled(ctx.signal);
  const layout = inputLayout(model);
  const notes: string[] = [];
  let path = args.data;
  if ((await stat(path).catch(() => null))?.isDirectory()) {
    const idx = await idxImagesIn(path);
    if (idx) {
      path = idx;
      notes.push(`Using ${basename(idx)} from this folder (labels beside it are found by name).`);
    }
  }
  const base = { path, labeled: false, modelShape: layout.sampleDims, notes, preview: [] };
  let source;
  try {
    source = await openData(
      { path, ...(args.labels ? { labels: args.labels } : {}), ...(args.normalize ? { normalize: args.normalize } : {}) },
      layout,
    );
  } catch (error) {
    if (!(error instanceof LitheError)) throw error;
    return { ...base, ok: false, problem: reasonOf(error), sampleShape: [] };
  }
  const preview: SamplePreview[] = [];
  try {
    for await (const batch of source.batches(PREVIEW, PREVIEW)) {
      throwIfCancelled(ctx.signal);
      for (let index = 0; index < batch.count; index++) {
        const label = batch.labels?.[index];
        const picture = thumbnail(batch, index, source.sampleDims, layout);
        if (picture) preview.push(label !== undefined && label >= 0 ? { ...picture, label } : picture);
      }
    }
  } catch (error) {
    if (!(error instanceof LitheError)) throw error;
    return { ...base, ok: false, problem: reasonOf(error), sampleShape: source.sampleDims, description: source.description };
  }
  if (!source.labeled) notes.push('No right answers found: Lithe can compare the models on this data, not measure accuracy.');
  return {
    ...base,
    ok: true,
    description: source.description,
    ...(source.count !== undefined ? { samples: source.count } : {}),
    labeled: source.labeled,
    sampleShape: source.sampleDims,
    preview,
  };
}

/** Sample `index` of a batch as a small picture (values stretched to 0–255), or undefined when it is not image-like. */
function thumbnail(batch: DataBatch, index: number, dims: readonly number[], layout: InputLayout): SamplePreview | undefined {
  const size = dims.reduce((a, b) => a * b, 1);
  const values = batch.data.subarray(index * size, (index + 1) * size);
  let height: number;
  let width: number;
  let channels: number;
  let at: (y: number, x: number, c: number) => number;
  if (layout.kind === 'NCHW' && dims.length === 3) {
    [channels, height, width] = dims as [number, number, number];
    at = (y, x, c) => values[c * height * width + y * width + x] ?? 0;
  } else if (layout.kind === 'NHWC' && dims.length === 3) {
    [height, width, channels] = dims as [number, number, number];
    at = (y, x, c) => values[(y * width + x) * channels + c] ?? 0;
  } else if (dims.length === 2) {
    [height, width] = dims as [number, number];
    channels = 1;
    at = (y, x) => values[y * width + x] ?? 0;
  } else return undefined;
  const shown = channels >= 3 ? 3 : 1;
  const step = Math.max(1, Math.ceil(Math.max(height, width) / THUMB));
  const outH = Math.ceil(height / step);
  const outW = Math.ceil(width / step);
  let lo = Infinity;
  let hi = -Infinity;
  for (const value of values) {
    if (value < lo) lo = value;
    if (value > hi) hi = value;
  }
  const span = hi > lo ? hi - lo : 1;
  const pixels: number[] = [];
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) for (let c = 0; c < shown; c++) pixels.push(Math.round(((at(y * step, x * step, c) - lo) / span) * 255));
  return { width: outW, height: outH, channels: shown === 3 ? 3 : 1, pixels };
}
