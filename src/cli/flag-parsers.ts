import { cpus } from 'node:os';
import { ExecutionMode, OptLevel, type BatchShard } from '../contract';
import { usageError } from './output';

/** Parses `1,2,4` or `1-4` or `max` into thread counts. */
export function parseThreads(text: string): number[] {
  const cores = cpus().length;
  const values = text.split(',').flatMap((part) => {
    const item = part.trim();
    if (item === 'max' || item === 'all') return Array.from({ length: cores }, (_, i) => i + 1);
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range) return Array.from({ length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) }, (_, i) => Number(range[1]) + i);
    if (!/^\d+$/.test(item)) throw usageError(`--threads: "${item}" is not a number (use e.g. 1,2 or 1-4 or max)`);
    return [Number(item)];
  });
  if (values.length === 0) throw usageError('--threads needs at least one value');
  return [...new Set(values)];
}

/** Parses a comma-separated list of enum values. */
export function parseList<T extends string>(text: string, allowed: readonly T[], flag: string): T[] {
  const values = text.split(',').map((part) => part.trim());
  for (const value of values)
    if (!allowed.includes(value as T)) throw usageError(`${flag}: "${value}" is not one of ${allowed.join(', ')}`);
  return [...new Set(values as T[])];
}

export const OPT_LEVELS = OptLevel.options;
export const EXECUTION_MODES = ExecutionMode.options;

/** Splits `name=value` at its last `=`; undefined when either side is empty. */
function splitAssignment(text: string): { name: string; value: string } | undefined {
  const at = text.lastIndexOf('=');
  const name = text.slice(0, at);
  const value = text.slice(at + 1);
  return at > 0 && value !== '' ? { name, value } : undefined;
}

/** Collects repeated `--dim name=value` flags. */
export function collectDim(text: string, dims: Record<string, number>): Record<string, number> {
  const pair = splitAssignment(text);
  if (!pair || !/^\d+$/.test(pair.value)) throw usageError(`--dim: "${text}" should look like name=value (e.g. N=1 or x:2=224)`);
  return { ...dims, [pair.name]: Number(pair.value) };
}

/** Parses a positive number flag. */
export function positive(flag: string, integer: boolean): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
      throw usageError(`${flag}: "${text}" is not a positive ${integer ? 'whole number' : 'number'}`);
    return value;
  };
}

/** Parses a whole number ≥ 0. */
export function wholeNumber(flag: string): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text.trim())) throw usageError(`${flag}: "${text}" is not a whole number`);
    return Number(text);
  };
}

/** Collects repeated `--value input=number` flags (fill an input with a constant). */
export function collectValue(text: string, values: Record<string, number>): Record<string, number> {
  const pair = splitAssignment(text);
  if (!pair || !/^-?[\d.eE+-]+$/.test(pair.value) || !Number.isFinite(Number(pair.value)))
    throw usageError(`--value: "${text}" should look like input=number (e.g. sr=16000)`);
  return { ...values, [pair.name]: Number(pair.value) };
}

/** Parses `I/N` (1 ≤ I ≤ N) for `--shard`. */
export function parseShard(text: string): BatchShard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count)
    throw usageError(`--shard must look like I/N with 1 ≤ I ≤ N (e.g. 1/4), not "${text}".`);
  return { index, count };
}
