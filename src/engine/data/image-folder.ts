import { readdir } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import sharp from 'sharp';
import { LitheError } from '../errors';
import type { DataBatch, DataSource } from './batch';
import { sampleSize, type InputLayout } from './input-layout';
import { NORMALIZE_PRESETS, type Normalization } from './normalize';
import { writeSample } from './sample-writer';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.webp', '.gif', '.tif', '.tiff']);

/** The images of a folder and, when they sit in class subfolders, their class names. */
export interface ImageList {
  files: string[];
  /** Class index per file, when every image is in a class subfolder. */
  labels?: Int32Array;
  classes?: string[];
}

/** Lists the images under `dir` (sorted); class subfolders become labels (classes in sorted order). */
export async function listImages(dir: string): Promise<ImageList> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (!files.length)
    throw new LitheError('invalid-argument', 'The folder holds no images (png, jpg, bmp, webp, gif, tiff).', { file: dir });
  const folders = files.map((f) => relative(dir, f).split(/[\\/]/));
  if (folders.some((parts) => parts.length < 2)) return { files };
  const classes = [...new Set(folders.map((parts) => parts[0]!))].sort();
  return { files, classes, labels: Int32Array.from(folders, (parts) => classes.indexOf(parts[0]!)) };
}

/**
 * A data source over a folder of images: each is decoded, converted to gray or RGB to match the
 * model's channels, resized (stretched) to the input size and normalized (`0-1` unless told).
 */
export async function imageFolderSource(
  dir: string,
  layout: InputLayout,
  normalization: Normalization | undefined,
  labels?: Int32Array,
): Promise<DataSource> {
  const list = await listImages(dir);
  const resolved = await resolveSize(layout, list.files[0]!);
  const norm = normalization ?? NORMALIZE_PRESETS['0-1']!;
  const channels = resolved.kind === 'NCHW' || resolved.kind === 'NHWC' ? resolved.channels : 1;
  const known = labels ?? list.labels;
  const size = sampleSize(resolved);
  return {
    description: `images in ${dir} (${list.files.length}${list.classes ? `, ${list.classes.length} classes` : ''})`,
    count: list.files.length,
    random: false,
    labeled: known !== undefined,
    sampleDims: resolved.sampleDims,
    async *batches(batchSize, limit) {
      const total = Math.min(list.files.length, limit ?? Infinity);
      for (let start = 0; start < total; start += batchSize) {
        const count = Math.min(batchSize, total - start);
        const batch: DataBatch = {
          data: new Float32Array(count * size),
          count,
          ...(known ? { labels: known.slice(start, start + count) } : {}),
        };
        for (let i = 0; i < count; i++) {
          const pixels = await decodeImage(list.files[start + i]!, resolved.width, resolved.height, channels);
          writeSample(batch.data, i * size, pixels, resolved, norm, true);
        }
        yield batch;
      }
    },
  };
}

/** Decodes one image to `channels` interleaved 8-bit channels at `width × height`. */
export async function decodeImage(file: string, width: number, height: number, channels: number): Promise<Uint8Array> {
  try {
    let pipeline = sharp(file).resize(width, height, { fit: 'fill' }).removeAlpha();
    pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels === channels) return data;
    // Pick the first `channels` of each pixel (or repeat gray) when the decoder kept a different count.
    const out = new Uint8Array(width * height * channels);
    for (let p = 0; p < width * height; p++)
      for (let c = 0; c < channels; c++) out[p * channels + c] = data[p * info.channels + Math.min(c, info.channels - 1)]!;
    return out;
  } catch (error) {
    throw new LitheError('invalid-argument', `Cannot decode the image: ${error instanceof Error ? error.message : String(error)}`, {
      file,
      cause: error,
    });
  }
}

async function resolveSize(layout: InputLayout, first: string): Promise<InputLayout> {
  if (layout.height > 0 && layout.width > 0) return layout;
  const meta = await sharp(first).metadata();
  const height = layout.height || meta.height || 1;
  const width = layout.width || meta.width || 1;
  const sampleDims =
    layout.kind === 'NCHW' ? [layout.channels, height, width] : layout.kind === 'NHWC' ? [height, width, layout.channels] : [height, width];
  return { ...layout, height, width, sampleDims };
}
