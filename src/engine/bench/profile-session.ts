import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type ort from 'onnxruntime-node';
import { LitheError } from '../errors';
import { createOnnxSession, runError, type OrtConfig } from '../runtime/onnx';
import { parseOrtTrace, type ParsedTrace } from './profile-trace';

/**
 * Runs a model `runs` times (plus one discarded run) in a session with ONNX Runtime's profiler on,
 * and returns the parsed trace. The trace file goes to a private temporary folder that is removed.
 */
export async function profileModel(
  model: string,
  config: OrtConfig,
  feeds: Record<string, ort.Tensor>,
  runs: number,
  signal?: AbortSignal,
): Promise<ParsedTrace> {
  const folder = mkdtempSync(join(tmpdir(), 'lithe-profile-'));
  try {
    const { session } = await createOnnxSession(model, config, { profilePrefix: join(folder, 'ort') });
    try {
      for (let i = 0; i < runs + 1 && !signal?.aborted; i++) {
        try {
          await session.run(feeds);
        } catch (error) {
          throw runError(model, error);
        }
      }
      session.endProfiling();
    } finally {
      await session.release();
    }
    const file = readdirSync(folder).find((name) => name.endsWith('.json'));
    if (!file) throw new LitheError('runtime-failed', 'ONNX Runtime wrote no profile', { file: model });
    return parseOrtTrace(readFileSync(join(folder, file), 'utf8'), { skipFirstRun: true });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
