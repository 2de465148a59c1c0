import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsLine } from '../../src/cli/commands/optimize';
import { writeTflite } from '../../src/engine/formats/tflite';
import { createEngineService } from '../../src/engine/service';
import { verificationWords } from '../../src/renderer/lib/optimize/verification-words';
import { smallCnnModel } from '../engine/helpers/tflite-builders';

// A model the runtimes here cannot load (its input stored at a size too small for its convolutions),
// optimized with a recipe that changes nothing: the written file is the original, and nothing ran.
// Neither the CLI nor the result page may then speak of inputs the models were run on.
const dir = mkdtempSync(join(tmpdir(), 'lithe-same-file-'));
const service = createEngineService({ host: 'cli', runsFolder: join(dir, 'runs'), devicesFolder: join(dir, 'devices') });
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an unchanged model that cannot run here', { timeout: 180_000 }, () => {
  it('is reported as the same file, without claiming a comparison that never ran', async () => {
    const model = smallCnnModel();
    const image = model.subgraphs[0]?.tensors[0];
    if (!image) throw new Error('smallCnnModel has no input');
    image.shape = [1, 1, 1, 4];
    const path = join(dir, 'cannot-run.tflite');
    writeFileSync(path, writeTflite(model));

    const report = await service.invoke('optimize.run', { model: path, recipe: 'graph', outDir: join(dir, 'run') });
    expect(report.steps.some((step) => step.changed)).toBe(false);
    expect(report.verification).toMatchObject({ status: 'passed', verdict: 'identical' });
    expect(report.verification.samples).toBeUndefined();

    const line = resultsLine(report.verification);
    expect(line).toBe('  results     identical: the written file is the original, byte for byte');
    const words = verificationWords(report.verification);
    expect(words.headline).toBe('The same file as the original');
    expect(words.detail).toMatch(/nothing was run/);
    expect(words.detail).not.toMatch(/ran both models|compared their outputs/);
  });
});
