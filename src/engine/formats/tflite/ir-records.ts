import { internalError } from '../../errors';
import type { FormatExtras } from '../../ir/format-extras';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import type { TfliteModel, TfliteOperator, TfliteOperatorCode, TfliteSubgraph, TfliteTensor } from './tflite-model';

/** Side record of a Model read from TFLite: the decoded file (subgraphs 1…n are the model's `calledGraphs`). */
export interface TfliteModelRecord {
  source: TfliteModel;
}

/** Side record of a Graph read from TFLite. */
export interface TfliteGraphRecord {
  index: number;
  subgraph: TfliteSubgraph;
}

/** Side record of a Value read from a TFLite tensor. */
export interface TfliteValueRecord {
  index: number;
  tensor: TfliteTensor;
  /** The IR name given on import (differs from the tensor name when that was empty or repeated). */
  importedName: string;
  /** True when nothing in the source subgraph referenced the tensor. */
  orphan: boolean;
}

/** Side record of an initializer read from a TFLite buffer. */
export interface TfliteInitializerRecord {
  buffer: number;
}

/** Side record of a Node read from a TFLite operator. */
export interface TfliteNodeRecord {
  operator: TfliteOperator;
  code: TfliteOperatorCode;
  /** The operator's intermediate tensors (integer LSTMs keep gate scales there), as IR values. */
  intermediates: (Value | undefined)[] | null;
}

/** The format tag on every TFLite side record. */
export const TFLITE_FORMAT = 'tflite';

/** Wraps a record as IR format extras. */
export function tfliteExtras(record: unknown): FormatExtras {
  return { format: TFLITE_FORMAT, record };
}

/** The TFLite record of an IR object's extras, if it has one. */
export function tfliteRecord<T>(extras: FormatExtras | undefined): T | undefined {
  return extras?.format === TFLITE_FORMAT ? (extras.record as T) : undefined;
}

/** The operator version a TFLite node is written with: its `version` attribute, else the version it was read with, else 1. */
export function tfliteOpVersion(node: Node): number {
  if (node.attribute('version')) return node.int('version', 1);
  return tfliteRecord<TfliteNodeRecord>(node.extras)?.code.version ?? 1;
}

/** Sets the intermediate tensors a TFLite operator is written with (integer LSTMs need five). */
export function setTfliteIntermediates(node: Node, values: Value[]): void {
  const record = tfliteRecord<TfliteNodeRecord>(node.extras);
  if (!record) internalError(`node '${node.name}' was not read from TFLite, so it has no operator record to carry intermediates`);
  node.extras = tfliteExtras({ ...record, intermediates: values } satisfies TfliteNodeRecord);
}
