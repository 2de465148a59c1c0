import { encodeOnnx, readOnnx, sniffOnnx, writeOnnx } from './onnx';
import { encodeTflite, TFLITE_MODEL_FORMAT } from './tflite';
import type { ModelFormat as FormatName } from '../../contract/schemas';
import type { EngineContext } from '../context';
import type { Model } from '../ir/model';

/** A model file format the engine can read into the IR and write back. */
export interface ModelFormat {
  name: FormatName;
  extensions: readonly string[];
  /** True when `head` (the first bytes of a file of `fileSize` bytes) looks like this format. */
  sniff(head: Uint8Array, fileSize: number): boolean;
  read(path: string, ctx?: EngineContext): Model;
  write(model: Model, path: string, ctx?: EngineContext): void;
  /** Serializes a model into this format's bytes. */
  encode(model: Model): Uint8Array;
}

/** The formats, in sniffing order. */
export const MODEL_FORMATS: readonly ModelFormat[] = [
  {
    name: 'onnx',
    extensions: ['.onnx'],
    sniff: (head, fileSize) => sniffOnnx(head, fileSize).ok,
    read: readOnnx,
    write: (model, path, ctx) => writeOnnx(model, path, {}, ctx),
    encode: encodeOnnx,
  },
  { ...TFLITE_MODEL_FORMAT, encode: encodeTflite },
];

/** The format whose content signature matches `head`, if any. */
export function formatForBytes(head: Uint8Array, fileSize: number): ModelFormat | undefined {
  return MODEL_FORMATS.find((f) => f.sniff(head, fileSize));
}

/** The format registered under `name` ('onnx', …). */
export function formatByName(name: string): ModelFormat | undefined {
  return MODEL_FORMATS.find((f) => f.name === name);
}
