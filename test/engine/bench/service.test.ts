import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError } from '../../../src/contract';
import { createEngineService } from '../../../src/engine/service';
import { matmulChain, modelFolder } from './tiny-models';
import { at } from '../../helpers/at';

// The contract commands end to end through the engine service: arguments and results are
// validated against the contract's schemas on the way in and out.
const folder = modelFolder();
const service = createEngineService({ host: 'web', devicesFolder: join(folder, 'devices') });
const model = matmulChain(folder, 'chain.onnx', 3, 32);
afterAll(async () => {
  await service.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('bench and devices commands', { timeout: 180_000 }, () => {
  it('bench.run returns results for the UI, with defaults filled in', async () => {
    const result = await service.invoke('bench.run', { models: [model], plan: { runs: 5, warmupRuns: 1 } });
    expect(result.results).toHaveLength(1);
    expect(at(result.results, 0).samplesMs).toHaveLength(5);
    expect(result.machine.cores).toBeGreaterThan(0);
  });

  it('bench.compare returns a verdict', async () => {
    const result = await service.invoke('bench.compare', {
      a: { model },
      b: { model },
      pairs: 20,
      warmupRuns: 2,
    });
    expect(['faster', 'slower', 'no-significant-difference']).toContain(result.verdict);
    expect(result.a.samplesMs).toHaveLength(20);
  });

  it('devices.save, devices.list and devices.estimate work together', async () => {
    const profile = {
      id: 'test-board',
      name: 'Test board',
      cores: 2,
      clockGHz: 1,
      simd: 'NEON',
      simdWidthBits: 128,
      int8DotProduct: false,
      fp32MacsPerCycle: 8,
      int8MacsPerCycle: 16,
      memoryBandwidthGBps: 4,
      ramBytes: 2 ** 30,
      storageKind: 'disk',
      storageBytes: 2 ** 33,
    };
    await service.invoke('devices.save', { profile });
    const list = await service.invoke('devices.list', {});
    expect(list.profiles.map((p) => p.id)).toContain('test-board');
    const estimate = await service.invoke('devices.estimate', { model, deviceIds: ['test-board'] });
    expect(at(estimate.estimates, 0).deviceId).toBe('test-board');
  });

  it('rejects bad arguments with invalid-argument', async () => {
    await expect(service.invoke('bench.run', { models: [] })).rejects.toBeInstanceOf(CommandError);
    await expect(service.invoke('devices.save', { profile: { id: 'Bad Id' } })).rejects.toMatchObject({
      info: { code: 'invalid-argument' },
    });
  });
});
