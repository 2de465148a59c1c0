import { closeSync, existsSync, openSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema, StringStringEntryProtoSchema, type StringStringEntryProto, type TensorProto } from 'onnx-buf';
import type { EngineContext } from '../../context';
import { LitheError, throwIfCancelled } from '../../errors';
import { placeFiles } from '../../files/place-files';
import { sameFile } from '../../files/same-file';
import type { Model } from '../../ir/model';
import type { Tensor } from '../../ir/tensor';
import { isExternal, parseExternalRef, resolveExternalPath } from './external-data';
import { modelToProto, type TensorPlacement } from './from-ir';
import { recordOf } from './records';
import { encodeRope, ropeToBytes, type Rope } from './rope-encoder';

const PROTOBUF_LIMIT = 2 ** 31 - 1;

/** How {@link writeOnnx} stores tensor data. */
export interface WriteOnnxOptions {
  /**
   * `keep` (default): tensors read from external data stay external, the rest inline (unless the
   * file would pass protobuf's 2 GB limit: then tensors of 1 KB or more go external).
   * `inline`: everything inside the .onnx file. `{ minBytes }`: every tensor of at least
   * `minBytes` goes to the external data file.
   */
  externalData?: 'keep' | 'inline' | { minBytes: number };
}

/** Encodes a model as ONNX bytes in memory (all tensor data inline). */
export function encodeOnnx(model: Model): Uint8Array {
  return ropeToBytes(encodeRope(ModelProtoSchema, modelToProto(model)));
}

class ExternalPlan implements TensorPlacement {
  readonly tensors: { tensor: Tensor; offset: number }[] = [];
  size = 0;
  constructor(
    readonly location: string,
    readonly policy: WriteOnnxOptions['externalData'],
  ) {}

  place(t: Tensor, initializer: boolean): StringStringEntryProto[] | undefined {
    if (t.dtype === 'string' || this.policy === 'inline') return undefined;
    const orig = recordOf<TensorProto>(t);
    const wasExternal = orig !== undefined && isExternal(orig) && !t.changed;
    // Only initializers are moved out; attribute tensors stay where they were.
    const wanted = wasExternal || (typeof this.policy === 'object' && initializer && t.byteLength >= this.policy.minBytes);
    if (!wanted) return undefined;
    const offset = Math.ceil(this.size / 64) * 64;
    const length = t.byteLength;
    this.tensors.push({ tensor: t, offset });
    this.size = offset + length;
    const entry = (key: string, value: string): StringStringEntryProto => create(StringStringEntryProtoSchema, { key, value });
    return [entry('location', this.location), entry('offset', String(offset)), entry('length', String(length))];
  }
}

/** Paths of external data files the model's tensors are currently read from (ONNX; none for other formats). */
export function sourceDataFiles(model: Model): Set<string> {
  const out = new Set<string>();
  if (!model.sourcePath) return out;
  const baseDir = dirname(resolve(model.sourcePath));
  const visit = (p: TensorProto | undefined): void => {
    if (p && isExternal(p)) {
      try {
        out.add(resolveExternalPath(baseDir, parseExternalRef(p.externalData, p.name, undefined).location, p.name, undefined));
      } catch {
        // Unreadable references were already reported by the reader.
      }
    }
  };
  const walk = (g: Model['graph']): void => {
    for (const t of g.initializers) visit(recordOf<TensorProto>(t));
    for (const n of g.nodes) {
      for (const a of n.attributes) {
        if (a.value.kind === 'tensor') visit(recordOf<TensorProto>(a.value.value));
      }
      for (const s of n.subgraphs()) walk(s);
    }
  };
  walk(model.graph);
  return out;
}

function writeChunks(fd: number, chunks: Iterable<Uint8Array>, signal: AbortSignal | undefined): void {
  const batch: Uint8Array[] = [];
  let batched = 0;
  const drain = (): void => {
    const one = batch.length > 1 ? Buffer.concat(batch, batched) : batch[0];
    if (!one) return;
    let done = 0;
    while (done < one.byteLength) done += writeSync(fd, one, done, one.byteLength - done);
    batch.length = 0;
    batched = 0;
  };
  for (const c of chunks) {
    throwIfCancelled(signal);
    if (c.byteLength >= 1 << 20) {
      drain();
      batch.push(c);
      batched = c.byteLength;
      drain();
    } else {
      batch.push(c);
      batched += c.byteLength;
      if (batched >= 4 << 20) drain();
    }
  }
  drain();
}

/**
 * Writes `model` as ONNX to `path` (plus an external data file next to it when tensors are stored
 * externally). Files are written under temporary names in the destination folder and renamed when
 * both are complete, the model last; on failure or cancellation nothing is left behind, and files
 * that were already at the final names are as they were. Never writes over the files the
 * model is being read from.
 */
export function writeOnnx(model: Model, path: string, options: WriteOnnxOptions = {}, ctx: EngineContext = {}): void {
  const out = resolve(path);
  const dir = dirname(out);
  if (model.sourcePath && sameFile(model.sourcePath, out)) {
    throw new LitheError('invalid-argument', 'refusing to write over the model being read', { file: path });
  }
  const sources = sourceDataFiles(model);
  if ([...sources].some((source) => sameFile(source, out)))
    throw new LitheError(
      'invalid-argument',
      "the output is the input model's own external data file; Lithe never writes over its input — choose another output path",
      { file: path },
    );
  let dataName = `${basename(out)}.data`;
  for (let i = 1; sources.has(join(dir, dataName)); i++) dataName = `${basename(out)}.${i}.data`;
  const policy = options.externalData ?? 'keep';
  ctx.onProgress?.({ stage: 'write', fraction: 0, message: `writing ${path}` });
  let plan = new ExternalPlan(dataName, policy);
  let rope: Rope = encodeRope(ModelProtoSchema, modelToProto(model, plan));
  if (rope.length > PROTOBUF_LIMIT && policy === 'keep') {
    // Too big for one protobuf: move every tensor of 1 KB or more to the external data file.
    plan = new ExternalPlan(dataName, { minBytes: 1024 });
    rope = encodeRope(ModelProtoSchema, modelToProto(model, plan));
  }
  if (rope.length > PROTOBUF_LIMIT) {
    throw new LitheError(
      'unsupported',
      `the model would be ${rope.length} bytes; ONNX files are limited to 2 GB — store weights as external data`,
      { file: path },
    );
  }
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const tmpModel = join(dir, `.${basename(out)}.${stamp}.tmp`);
  const tmpData = join(dir, `.${dataName}.${stamp}.tmp`);
  const created: string[] = [];
  try {
    const fd = openSync(tmpModel, 'w');
    created.push(tmpModel);
    try {
      writeChunks(fd, rope.chunks, ctx.signal);
    } finally {
      closeSync(fd);
    }
    if (plan.tensors.length > 0) {
      const dfd = openSync(tmpData, 'w');
      created.push(tmpData);
      try {
        let at = 0;
        for (const { tensor, offset } of plan.tensors) {
          throwIfCancelled(ctx.signal);
          if (offset > at) writeSync(dfd, new Uint8Array(offset - at));
          const bytes = tensor.bytes();
          let done = 0;
          while (done < bytes.byteLength) done += writeSync(dfd, bytes, done, bytes.byteLength - done);
          at = offset + bytes.byteLength;
        }
      } finally {
        closeSync(dfd);
      }
    }
    // The data file first (the model names it), the model last; a failure puts back what was there.
    const data = plan.tensors.length > 0 ? [{ from: tmpData, to: join(dir, dataName) }] : [];
    placeFiles([...data, { from: tmpModel, to: out }], stamp);
  } catch (error) {
    for (const f of created) if (existsSync(f)) rmSync(f, { force: true });
    if (error instanceof LitheError) throw error;
    throw new LitheError('write-failed', `could not write the model: ${error instanceof Error ? error.message : String(error)}`, {
      file: path,
      cause: error,
    });
  }
  ctx.onProgress?.({ stage: 'write', fraction: 1 });
}
