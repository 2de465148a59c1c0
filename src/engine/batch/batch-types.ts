import type { Shard } from './shard';

/** The outcome for one model of a batch. */
export interface BatchItem {
  /** Path relative to the batch's input folder. */
  model: string;
  status: 'done' | 'skipped' | 'failed';
  /** Why it failed (plain words, naming the problem). */
  reason?: string;
  runDir?: string;
  inputBytes?: number;
  outputBytes?: number;
  nodesBefore?: number;
  nodesAfter?: number;
  verification?: 'passed' | 'failed' | 'unavailable';
  relativeError?: number;
  cosine?: number;
  durationMs?: number;
}

/** Everything a batch run recorded (`batch-summary.json`). */
export interface BatchSummary {
  schema: 'lithe.batch/1';
  inputDir: string;
  outDir: string;
  recipe: string;
  format?: 'onnx' | 'tflite';
  shard?: Shard;
  startedAt: string;
  finishedAt: string;
  counts: { done: number; skipped: number; failed: number };
  items: BatchItem[];
}
