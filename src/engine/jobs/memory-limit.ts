import { readFileSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { activationBytesOf } from './activation-memory';

// How much memory one job may use, and how a job's memory is seen from outside.
//
// The limit is about the job's resources, not a fixed count: 768 MiB plus 16 times the size of the
// model file it works on (an optimize run holds the model, its optimized copy and two runtime
// sessions of each) plus the activations of those sessions (`activation-memory.ts`: a model with
// small weights and a large input needs memory for its tensors, not its file), never more than
// half of the machine's memory. When the activations cannot be estimated the file size alone counts.
// LITHE_MEMORY_LIMIT_MB sets it outright. A JavaScript heap of the same size is the V8 limit of
// the job's worker or process; the resident memory of a job's child process (where ONNX Runtime
// allocates natively, out of V8's sight) is watched, and the process stopped when it passes.

/** The environment variable that sets the memory limit of one job, in MB. */
export const MEMORY_LIMIT_ENV = 'LITHE_MEMORY_LIMIT_MB';

const BASE_BYTES = 768 * 1024 ** 2;
const PER_MODEL_BYTE = 16;
/** Runs whose activations an optimize job may hold at once (original and candidate, in each runtime, with copies). */
const ACTIVATION_COPIES = 6;

/** The memory limit of a job whose arguments are `args` (see above), in bytes. */
export function jobMemoryLimitBytes(args: unknown, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env[MEMORY_LIMIT_ENV]);
  if (Number.isFinite(fromEnv) && fromEnv > 0) return Math.round(fromEnv * 1024 ** 2);
  const file = jobFile(args);
  let modelBytes = 0;
  try {
    if (file) modelBytes = statSync(file).size;
  } catch {
    // a missing model fails in the job itself, with its own message
  }
  const activationBytes = (file && activationBytesOf(file)) || 0;
  const wanted = BASE_BYTES + PER_MODEL_BYTE * modelBytes + ACTIVATION_COPIES * activationBytes;
  return Math.min(wanted, Math.max(BASE_BYTES, totalmem() / 2));
}

/** The model or file a job's arguments name (`model`, `path` or `input`), if any. */
export function jobFile(args: unknown): string | undefined {
  if (typeof args !== 'object' || args === null) return undefined;
  const record = args as Record<string, unknown>;
  for (const key of ['model', 'path', 'input']) {
    const value = record[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Resident memory of process `pid` in bytes; undefined when it cannot be read (gone, or not Linux). */
export function processRssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The message of a job stopped for passing its memory limit. */
export function needsMoreMemory(limitBytes: number): string {
  return (
    `this needs more than ${(limitBytes / 1024 ** 3).toFixed(1)} GB of memory, the limit for one job, so it was stopped ` +
    `(the model or its data is too large for that limit; ${MEMORY_LIMIT_ENV} sets another limit in MB)`
  );
}

/** Whether a worker error or a child's last stderr lines say that V8 ran out of heap. */
export function isHeapExhaustion(text: string): boolean {
  return /heap out of memory|ERR_WORKER_OUT_OF_MEMORY|Allocation failed|Reached heap limit/i.test(text);
}
