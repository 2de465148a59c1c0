import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LitheError } from '../errors';
import type { OptimizerState } from './optimizer';

/** What a checkpoint holds besides the tensors: where the run stands. */
export interface CheckpointMeta {
  /** Epochs completed. */
  epoch: number;
  /** sha256 of the model file the run trains, so a resume cannot mix models. */
  modelSha256: string;
  /** The run's settings, as given (a resume must use the same ones). */
  settings: Record<string, unknown>;
  /** Per-epoch records so far. */
  history: unknown[];
  /** Best validation result so far and the epoch it came from. */
  best?: { epoch: number; value: number };
}

/** A checkpoint: parameters and state by name, optimizer buffers, and the meta data. */
export interface Checkpoint {
  meta: CheckpointMeta;
  tensors: Map<string, Float32Array>;
  optimizer: OptimizerState;
  /** Weights of the best epoch so far, when early stopping keeps them. */
  best?: Map<string, Float32Array>;
}

interface TensorEntry {
  name: string;
  role: 'tensor' | 'moment' | 'best';
  index: number;
  offset: number;
  length: number;
}

const FILE = 'checkpoint.json';

/**
 * Writes a checkpoint into `dir` so that a crash or cancel at any moment leaves the previous one
 * whole: the tensors go to a new file first, then the JSON that names it replaces the old JSON
 * (an atomic rename), and only then is the previous tensor file removed.
 */
export async function saveCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries: TensorEntry[] = [];
  const parts: Float32Array[] = [];
  let offset = 0;
  const add = (name: string, role: TensorEntry['role'], index: number, data: Float32Array): void => {
    entries.push({ name, role, index, offset, length: data.length });
    parts.push(data);
    offset += data.byteLength;
  };
  for (const [name, data] of checkpoint.tensors) add(name, 'tensor', 0, data);
  for (const [name, list] of Object.entries(checkpoint.optimizer.buffers)) list.forEach((data, i) => add(name, 'moment', i, data));
  for (const [name, data] of checkpoint.best ?? []) add(name, 'best', 0, data);
  const bin = `weights-${String(checkpoint.meta.epoch).padStart(4, '0')}.bin`;
  const bytes = Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  const previous = await readJson(dir);
  try {
    await writeFile(join(dir, `${bin}.tmp`), bytes);
    await rename(join(dir, `${bin}.tmp`), join(dir, bin));
    const json = {
      schema: 'lithe.train-checkpoint/1',
      ...checkpoint.meta,
      optimizerStep: checkpoint.optimizer.step,
      weights: bin,
      tensors: entries,
    };
    await writeFile(join(dir, `${FILE}.tmp`), JSON.stringify(json));
    await rename(join(dir, `${FILE}.tmp`), join(dir, FILE));
  } catch (error) {
    throw new LitheError('write-failed', `Cannot write the checkpoint (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, {
      file: dir,
      cause: error,
    });
  }
  if (previous && previous.weights !== bin) await rm(join(dir, previous.weights), { force: true });
}

interface CheckpointJson extends CheckpointMeta {
  schema: string;
  optimizerStep: number;
  weights: string;
  tensors: TensorEntry[];
}

async function readJson(dir: string): Promise<CheckpointJson | undefined> {
  const file = join(dir, FILE);
  if (!existsSync(file)) return undefined;
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as CheckpointJson;
    if (json.schema !== 'lithe.train-checkpoint/1') throw new Error(`unknown schema ${json.schema}`);
    return json;
  } catch (error) {
    throw new LitheError('corrupt-model', `The checkpoint cannot be read (${error instanceof Error ? error.message : String(error)}).`, {
      file,
    });
  }
}

/** Reads the checkpoint in `dir`, or `undefined` when there is none. */
export async function loadCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  const json = await readJson(dir);
  if (!json) return undefined;
  const file = join(dir, json.weights);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new LitheError('corrupt-model', 'The checkpoint names a weights file that cannot be read.', { file, cause: error });
  }
  const tensors = new Map<string, Float32Array>();
  const best = new Map<string, Float32Array>();
  const buffers: Record<string, Float32Array[]> = {};
  for (const e of json.tensors) {
    if (e.offset + e.length * 4 > bytes.length)
      throw new LitheError('corrupt-model', 'The checkpoint weights file is truncated.', { file });
    const data = new Float32Array(e.length);
    new Uint8Array(data.buffer).set(bytes.subarray(e.offset, e.offset + e.length * 4));
    if (e.role === 'tensor') tensors.set(e.name, data);
    else if (e.role === 'best') best.set(e.name, data);
    else (buffers[e.name] ??= [])[e.index] = data;
  }
  const { schema: _schema, optimizerStep, weights: _weights, tensors: _entries, ...meta } = json;
  return { meta, tensors, optimizer: { step: optimizerStep, buffers }, ...(best.size ? { best } : {}) };
}
