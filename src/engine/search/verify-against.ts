import { readFile } from 'node:fs/promises';
import type { SearchCandidate } from '../../contract/search';
import type { EngineContext } from '../context';
import { LitheError, throwIfCancelled } from '../errors';
import { identifyFile } from '../files/identify-file';
import { createVerifier } from '../verify/verifier';

/** How close `candidate`'s outputs are to `original`'s on the same generated inputs (either format). */
export async function verifyAgainst(
  original: string,
  candidate: string,
  ctx: EngineContext = {},
): Promise<NonNullable<SearchCandidate['fidelity']>> {
  const [a, b] = await Promise.all([identifyFile(original), identifyFile(candidate)]);
  if (!a.format || !b.format)
    throw new LitheError('not-a-model', 'Not an ONNX or TFLite model.', { file: a.format ? candidate : original });
  const verifier = await createVerifier(new Uint8Array(await readFile(original)), a.format, { file: original });
  try {
    throwIfCancelled(ctx.signal);
    const result = await verifier.verify(new Uint8Array(await readFile(candidate)), b.format);
    const mismatch = result.outputs.find((output) => output.mismatch);
    if (mismatch) throw new LitheError('verification-failed', `output "${mismatch.name}": ${mismatch.mismatch}`, { file: candidate });
    const agreements = result.outputs.map((output) => output.top1Agreement).filter((value): value is number => value !== undefined);
    const cosine = result.worst.cosine;
    if (cosine === undefined)
      throw new LitheError('unsupported', 'Its outputs have no cosine to compare (no float outputs).', { file: candidate });
    return {
      cosine,
      ...(Number.isFinite(result.worst.relative) ? { maxRelative: result.worst.relative } : {}),
      ...(agreements.length ? { top1Agreement: Math.min(...agreements) } : {}),
      inputs: result.inputs,
    };
  } finally {
    await verifier.dispose();
  }
}
