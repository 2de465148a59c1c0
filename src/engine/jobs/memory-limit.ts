import { readFileSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';

// How much memory one job may use, and how a job's memory is seen from outside.
//
// The limit is about the job's resources, not a fixed count: 768 MiB plus 16 times the size of the
// model file it works on (an optimize run holds the model, its optimized copy and two runtime
// sessions of each), never more than half of the machine's memory. That much the host knows
// without reading the model; a job in a child process then adds its activations itself
// (`job-memory-need.ts`), so the host never parses a model to set a limit. LITHE_MEMORY_LIMIT_MB
// sets it outright. A JavaScript heap of the starting size is the V8 limit of the job's worker or
// process; the resident memory of a job's child process (where ONNX Runtime allocates natively,
// out of V8's sight) is watched, and the process stopped when it passes.

/** The environment variable that sets the memory limit of one job, in MB. */
export const MEMORY_LIMIT_ENV = 'LITHE_MEMORY_LIMIT_MB';

/** What every job may use whatever its model. */
export const BASE_MEMORY_BYTES = 768 * 1024 ** 2;
const PER_MODEL_BYTE = 16;

/** LITHE_MEMORY_LIMIT_MB in bytes, when it is set to a positive number. */
export function memoryLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const fromEnv = Number(env[MEMORY_LIMIT_ENV]);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? Math.round(fromEnv * 1024 ** 2) : undefined;
}

/** The most a job's own estimate may raise its limit to: half of the machine's memory (at least the base). */
export function memoryCapBytes(): number {
  return Math.max(BASE_MEMORY_BYTES, totalmem() / 2);
}

/** The memory limit a job whose arguments are `args` starts with (see above), in bytes; reads no model. */
export function jobMemoryLimitBytes(args: unknown, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = memoryLimitFromEnv(env);
  if (fromEnv !== undefined) return fromEnv;
  return Math.min(BASE_MEMORY_BYTES + PER_MODEL_BYTE * modelBytesOf(args), memoryCapBytes());
}

function modelBytesOf(args: unknown): number {
  const file = jobFile(args);
  try {
    return file ? statSync(file).size : 0;
  } catch {
    return 0; // a missing model fails in the job itself, with its own message
  }
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
