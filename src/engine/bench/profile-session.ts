import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type ort from 'onnxruntime-node';
import { LitheError } from '../errors';
import { createOnnxSession, runError, type OnnxSession, type OrtConfig } from '../runtime/onnx';
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
  const [trace] = await profileModels([model], config, feeds, runs, signal);
  if (!trace) throw new LitheError('runtime-failed', 'ONNX Runtime wrote no profile', { file: model });
  return trace;
}

/**
 * Profiles several models on the same inputs with their runs interleaved (A, B, A, B …), so that
 * a machine that gets busier part of the way slows every model alike. One trace per model, in order.
 */
export async function profileModels(
  models: readonly string[],
  config: OrtConfig,
  feeds: Record<string, ort.Tensor>,
  runs: number,
  signal?: AbortSignal,
): Promise<ParsedTrace[]> {
  const folder = mkdtempSync(join(tmpdir(), 'lithe-profile-'));
  const sessions: OnnxSession[] = [];
  try {
    for (const [i, model] of models.entries())
      sessions.push(await createOnnxSession(model, config, { profilePrefix: join(folder, `m${i}`) }));
    for (let i = 0; i < runs + 1 && !signal?.aborted; i++) {
      for (const { file, session } of sessions) {
        try {
          await session.run(feeds);
        } catch (error) {
          throw runError(file, error);
        }
      }
    }
    for (const { session } of sessions) session.endProfiling();
    return models.map((model, i) => {
      const file = readdirSync(folder).find((name) => name.startsWith(`m${i}_`) && name.endsWith('.json'));
      if (!file) throw new LitheError('runtime-failed', 'ONNX Runtime wrote no profile', { file: model });
      return parseOrtTrace(readFileSync(join(folder, file), 'utf8'), { skipFirstRun: true });
    });
  } finally {
    for (const { session } of sessions) await session.release();
    rmSync(folder, { recursive: true, force: true });
  }
}
