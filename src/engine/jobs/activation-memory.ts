import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { formatForBytes } from '../formats/index';
import { dtypeBits } from '../ir/dtype';
import type { Graph } from '../ir/graph';
import type { Model } from '../ir/model';
import { fixInputsAtPlannedSizes } from '../runtime/onnx/fix-input-sizes';
import { inferShapes } from '../ir/shape-inference';
import type { Value } from '../ir/value';

// How much memory a model's activations take when it runs once: its inputs at the input plan's
// representative sizes (batch 1, images 224×224, other open axes 512) plus its intermediate tensors
// (from shape inference at those sizes, which also replaces declared shapes with open dimensions,
// and sizes an expanding node such as Range from its constant inputs). A runtime keeps a few tensors alive at a time, so the few
// largest stand for the peak of one run; a calibration run exposes every intermediate as an output,
// so all of them are alive at its end.
//
// This runs at the start of a job, inside the job's own process, on files a user (or an attacker)
// chose: it reads only regular files up to `MAX_ESTIMATED_FILE_BYTES` (beyond that the file-size
// rule is larger anyway), and answers `undefined` for anything it cannot read instead of throwing.

/** Files larger than this are not read for an estimate (their size already dominates the limit). */
export const MAX_ESTIMATED_FILE_BYTES = 8 * 1024 ** 2;

/** How many of the largest intermediate tensors count as alive at once in one run. */
const LIVE_TENSORS = 3;

const HEAD_BYTES = 64;

/** Bytes of activations of one run of a model. */
export interface ActivationBytes {
  /** Its inputs and the few largest intermediates: what one ordinary run holds at its peak. */
  oneRun: number;
  /** Its inputs and every intermediate: what one run with every value exposed holds (calibration). */
  everyValue: number;
  /** The largest intermediate: the value's name, its operator and its bytes. */
  largest?: { name: string; opType: string; bytes: number };
}

/** Bytes of activations of one run of the model in `file`, or `undefined` when it cannot be estimated. */
export function activationBytesOf(file: string): ActivationBytes | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size === 0 || stat.size > MAX_ESTIMATED_FILE_BYTES) return undefined;
    const format = formatForBytes(readHead(file), stat.size);
    if (!format) return undefined;
    return modelActivationBytes(format.read(file));
  } catch {
    return undefined;
  }
}

/**
 * Bytes of activations of one run of `model` (one sample at the representative sizes), or `undefined` when its shapes
 * give no finite figure. Fixes the model's open inputs and refreshes its shapes: give it a copy.
 */
export function modelActivationBytes(model: Model): ActivationBytes | undefined {
  const graph = model.graph;
  const inputs = graph.inputs.filter((v) => !v.initializer);
  fixInputsAtPlannedSizes(inputs);
  const inputBytes = inputs.reduce((sum, v) => sum + (tensorBytes(v) ?? 0), 0);
  try {
    inferShapes(model, { refresh: true, openDeclared: true });
  } catch {
    // shapes that cannot be inferred leave the intermediates uncounted
  }
  const intermediates = intermediateBytes(graph).sort((a, b) => b.bytes - a.bytes);
  const sizes = intermediates.map((intermediate) => intermediate.bytes);
  const sum = (values: number[]): number => values.reduce((total, bytes) => total + bytes, 0);
  const oneRun = inputBytes + sum(sizes.slice(0, LIVE_TENSORS));
  const everyValue = inputBytes + sum(sizes);
  const largest = intermediates[0];
  return Number.isFinite(everyValue) ? { oneRun, everyValue, ...(largest ? { largest } : {}) } : undefined;
}

/** Every node output of `graph` with a known shape: its name, operator and bytes. */
function intermediateBytes(graph: Graph): Array<{ name: string; opType: string; bytes: number }> {
  const sizes: Array<{ name: string; opType: string; bytes: number }> = [];
  for (const node of graph.nodes) {
    for (const output of node.outputs) {
      const bytes = output ? tensorBytes(output) : undefined;
      if (output && bytes !== undefined) sizes.push({ name: output.name, opType: node.opType, bytes });
    }
  }
  return sizes;
}

/** Bytes of a tensor value whose dimensions are all known numbers. */
function tensorBytes(v: Value): number | undefined {
  if (v.type?.kind !== 'tensor' || !v.type.shape) return undefined;
  let count = 1;
  for (const dim of v.type.shape) {
    if (typeof dim !== 'number' || !Number.isFinite(dim) || dim < 0) return undefined;
    count *= dim;
  }
  const bytes = (count * dtypeBits(v.type.dtype)) / 8;
  return Number.isFinite(bytes) ? bytes : undefined;
}

function readHead(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    if (!fstatSync(fd).isFile()) return new Uint8Array(0);
    const head = new Uint8Array(HEAD_BYTES);
    const read = readSync(fd, head, 0, HEAD_BYTES, 0);
    return head.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
