import { existsSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { LitheError } from '../errors';
import type { DataSource } from './batch';
import { readRecords } from './byte-records';
import { idxImagesIn, idxLabelsNameFor, isIdxName, readIdxHeader, readIdxRecords } from './idx';
import { imageFolderSource } from './image-folder';
import { sampleSize, type InputLayout } from './input-layout';
import { readLabelsFile } from './labels-file';
import { parseNormalization, type Normalization } from './normalize';
import { decodeNpyValues, npyElementBytes, parseNpy, parseNpyHeader } from './npy';
import { tensorSource } from './tensor-source';
import { zipEntries } from './zip-entries';

/** Where data comes from and how to prepare it. */
export interface DataOptions {
  /** A folder of images (class subfolders = labels), an IDX file, `.npy`, `.npz`, or raw float32 (`.bin`/`.raw`). */
  path: string;
  /** Labels: IDX labels file, `.npy`, or text with one class per line (found automatically beside MNIST IDX images). */
  labels?: string;
  /** Normalization preset or `mean=…;std=…` (see parseNormalization). */
  normalize?: string;
}

/** Opens a data set for a model input of `layout`, streaming its samples in batches. */
export async function openData(options: DataOptions, layout: InputLayout): Promise<DataSource> {
  const { path } = options;
  if (!existsSync(path)) throw new LitheError('not-found', 'The data path does not exist.', { file: path });
  const normalization = options.normalize ? parseNormalization(options.normalize) : undefined;
  const labels = options.labels ? await readLabelsFile(options.labels) : undefined;
  if ((await stat(path)).isDirectory()) {
    // A folder of MNIST-style IDX files (as datasets ship) rather than of images.
    const idx = await idxImagesIn(path);
    if (idx) return idxSource(idx, layout, normalization, labels ?? (await siblingLabels(idx)));
    return imageFolderSource(path, layout, normalization, labels);
  }
  if (isIdxName(path)) return idxSource(path, layout, normalization, labels ?? (await siblingLabels(path)));
  if (/\.npy$/i.test(path)) return npySource(path, layout, normalization, labels);
  if (/\.npz$/i.test(path)) return npzSource(path, layout, normalization, labels);
  if (/\.(bin|raw|f32)$/i.test(path)) return rawSource(path, layout, normalization, labels);
  throw new LitheError(
    'unsupported',
    'Unknown data kind: give a folder of images, MNIST-style IDX files, .npy/.npz, or raw float32 (.bin/.raw).',
    { file: path },
  );
}

async function siblingLabels(path: string): Promise<Int32Array | undefined> {
  const name = idxLabelsNameFor(path);
  return name && existsSync(name) ? readLabelsFile(name) : undefined;
}

async function idxSource(
  path: string,
  layout: InputLayout,
  normalization: Normalization | undefined,
  labels: Int32Array | undefined,
): Promise<DataSource> {
  const header = await readIdxHeader(path);
  const count = header.dims[0] ?? 0;
  return tensorSource(
    {
      description: `IDX ${basename(path)} (${count} samples${labels ? ', labelled' : ''})`,
      count,
      recordDims: header.dims.slice(1),
      pixels: header.typeCode === 0x08,
      read: (group) => readIdxRecords(path, header, group),
    },
    layout,
    normalization,
    labels,
    path,
  );
}

async function npySource(
  path: string,
  layout: InputLayout,
  normalization: Normalization | undefined,
  labels: Int32Array | undefined,
): Promise<DataSource> {
  const handle = await open(path, 'r');
  const head = new Uint8Array(4096);
  await handle.read(head, 0, head.length, 0);
  await handle.close();
  const header = parseNpyHeader(head, path);
  const elementBytes = npyElementBytes(header.descr, path);
  const count = header.shape[0] ?? 1;
  const recordDims = header.shape.slice(1);
  const perRecord = recordDims.reduce((n, d) => n * d, 1);
  return tensorSource(
    {
      description: `${basename(path)} (${count} samples)`,
      count,
      recordDims,
      pixels: header.descr.endsWith('u1'),
      async *read(group) {
        for await (const records of readRecords(path, header.dataOffset, perRecord * elementBytes, group))
          yield records.map((r) => decodeNpyValues(r, header.descr, perRecord, path));
      },
    },
    layout,
    normalization,
    labels,
    path,
  );
}

async function npzSource(
  path: string,
  layout: InputLayout,
  normalization: Normalization | undefined,
  labels: Int32Array | undefined,
): Promise<DataSource> {
  // An .npz entry is compressed as a whole, so each array is read into memory.
  const entries = zipEntries(new Uint8Array(await readFile(path)), path);
  const names = [...entries.keys()];
  const labelName = names.find((n) => /^(y|labels?|targets?)\.npy$/i.test(n));
  const dataName =
    names.find((n) => /^(x|images?|data|inputs?)\.npy$/i.test(n)) ?? names.find((n) => n !== labelName && n.endsWith('.npy'));
  if (!dataName) throw new LitheError('invalid-argument', 'The .npz archive holds no arrays.', { file: path });
  const array = parseNpy(entries.get(dataName)!(), path);
  const found = labels ?? (labelName ? Int32Array.from(parseNpy(entries.get(labelName)!(), path).values) : undefined);
  const recordDims = array.shape.slice(1);
  const perRecord = recordDims.reduce((n, d) => n * d, 1);
  const count = array.shape[0] ?? 1;
  return tensorSource(
    {
      description: `${basename(path)}:${dataName} (${count} samples${found ? ', labelled' : ''})`,
      count,
      recordDims,
      pixels: array.descr.endsWith('u1'),
      async *read(group) {
        for (let start = 0; start < count; start += group) {
          yield Array.from({ length: Math.min(group, count - start) }, (_, i) =>
            array.values.subarray((start + i) * perRecord, (start + i + 1) * perRecord),
          );
        }
      },
    },
    layout,
    normalization,
    found,
    path,
  );
}

async function rawSource(
  path: string,
  layout: InputLayout,
  normalization: Normalization | undefined,
  labels: Int32Array | undefined,
): Promise<DataSource> {
  const size = sampleSize(layout);
  if (!layout.sampleDims.every((d) => d > 0))
    throw new LitheError('invalid-argument', 'Raw float32 data needs a model input with a fixed shape.', { file: path });
  const bytes = (await stat(path)).size;
  if (bytes % (size * 4) !== 0)
    throw new LitheError('invalid-argument', `The file holds ${bytes} bytes, not a whole number of float32 samples of ${size} values.`, {
      file: path,
    });
  const count = bytes / (size * 4);
  return tensorSource(
    {
      description: `raw float32 ${basename(path)} (${count} samples)`,
      count,
      recordDims: layout.sampleDims,
      pixels: false,
      async *read(group) {
        for await (const records of readRecords(path, 0, size * 4, group))
          yield records.map((r) => new Float32Array(r.buffer, r.byteOffset, size));
      },
    },
    layout,
    normalization,
    labels,
    path,
  );
}
