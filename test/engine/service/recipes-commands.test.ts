import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/contract';
import { createEngineService } from '../../../src/engine/service';
import { PPOCR_CLS_ONNX } from '../../fixtures/real-models';

// The goal policy and the keep-in-float edit as every host reaches them: contract commands.
const dir = mkdtempSync(join(tmpdir(), 'lithe-recipes-'));
const service = createEngineService({ host: 'cli', devicesFolder: join(dir, 'devices'), runsFolder: join(dir, 'runs') });
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recipes.choose and keepInFloat through the service', () => {
  it('chooses for a device profile by id, and names an unknown one', async () => {
    const { profiles } = await service.invoke('devices.list', {});
    const arm = profiles.find((profile) => profile.kind === 'builtin' && !profile.int8DotProduct);
    if (!arm) throw new Error('expected a built-in profile without int8 dot product');
    const choice = await service.invoke('recipes.choose', { goal: 'faster', hasData: true, deviceId: arm.id });
    expect(choice.recipe.name).toBe('int8-static');
    expect(choice.note).toContain(`${arm.name} has no int8 dot-product instructions`);
    await expect(service.invoke('recipes.choose', { goal: 'faster', deviceId: 'no-such-board' })).rejects.toThrow(
      /no device profile "no-such-board"/,
    );
    await expect(service.invoke('recipes.choose', { goal: 'fastest' })).rejects.toBeInstanceOf(CommandError);
  });

  it('refuses to keep layers in float with a recipe that cannot, before any work starts', async () => {
    const run = service.invoke('optimize.run', { model: PPOCR_CLS_ONNX, recipe: 'graph', keepInFloat: ['conv1'] });
    await expect(run).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/no step that can keep layers in float/),
    });
  });
});
