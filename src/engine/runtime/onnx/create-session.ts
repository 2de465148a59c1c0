import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { LitheError } from '../../errors';
import { sniffOnnx } from '../../formats/onnx/sniff';
import { sessionError } from './ort-errors';
import { toSessionOptions, type OrtConfig } from './session-options';

/** An ONNX Runtime session with the facts Lithe needs about it. */
export interface OnnxSession {
  file: string;
  session: ort.InferenceSession;
  /** Milliseconds spent in `InferenceSession.create`. */
  createMs: number;
  /** Size of the model file, bytes. */
  bytes: number;
}

/** Reads a model file, checking it exists and looks like ONNX, for a clear error before ORT sees it. */
export function readModelBytes(path: string): Uint8Array {
  const file = resolve(path);
  let bytes: Uint8Array;
  try {
    if (!statSync(file).isFile()) throw new LitheError('unreadable', 'is not a file', { file: path });
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof LitheError) throw error;
    throw new LitheError('not-found', 'the file does not exist or cannot be opened', { file: path, cause: error });
  }
  const sniff = sniffOnnx(bytes);
  if (!sniff.ok)
    throw new LitheError(
      sniff.truncated ? 'corrupt-model' : 'not-a-model',
      sniff.truncated ? sniff.reason : `not an ONNX model: ${sniff.reason}`,
      { file: path },
    );
  return bytes;
}

/**
 * Creates an ONNX Runtime session for a model file. Models that ORT refuses (old opsets, missing
 * kernels, bad files) become a {@link LitheError} naming the file instead of a crash.
 */
export async function createOnnxSession(path: string, config: OrtConfig, extra: { profilePrefix?: string } = {}): Promise<OnnxSession> {
  const bytes = readModelBytes(path);
  if (!ort.listSupportedBackends().some((backend) => backend.name === config.executionProvider)) {
    throw new LitheError('unsupported', `execution provider "${config.executionProvider}" is not available in this ONNX Runtime build`, {
      file: path,
    });
  }
  const options = toSessionOptions(config, extra);
  const started = performance.now();
  let session: ort.InferenceSession;
  try {
    // Load by path (not bytes) so that external data next to the model resolves.
    session = await ort.InferenceSession.create(resolve(path), options);
  } catch (error) {
    throw sessionError(path, error);
  }
  return { file: path, session, createMs: performance.now() - started, bytes: bytes.byteLength };
}
