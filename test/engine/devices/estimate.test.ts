import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { DeviceEstimateArgs, DeviceEstimateResult } from '../../../src/contract/devices';
import type { TracedNode } from '../../../src/engine/bench/profile-trace';
import { BUILTIN_PROFILES } from '../../../src/engine/devices/builtin-profiles';
import { estimateDevices } from '../../../src/engine/devices/estimate';
import { checkFit } from '../../../src/engine/devices/fit';
import { macsOf, opCost } from '../../../src/engine/devices/op-cost';
import { modelledTime } from '../../../src/engine/devices/roofline';
import { LitheError } from '../../../src/engine/errors';
import { matmulChain, modelFolder } from '../bench/tiny-models';
import { FACE_SHORT_TFLITE } from '../../fixtures/real-models';
import { tfliteCosts } from '../../../src/engine/devices/tflite-costs';
import { at } from '../../helpers/at';

const folder = modelFolder();
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const traced = (opType: string, inputs: number[][], output: number[], dtype = 'float'): TracedNode => ({
  name: opType,
  opType,
  provider: 'CPUExecutionProvider',
  selfUs: 1,
  inputs: inputs.map((shape) => ({ dtype, shape })),
  outputs: [{ dtype, shape: output }],
  parameterBytes: 0,
  activationBytes: 0,
  outputBytes: 0,
});
const device = (id: string) => BUILTIN_PROFILES.find((profile) => profile.id === id)!;

describe('cost model', () => {
  it('counts MACs of Conv, grouped Conv, MatMul, Gemm and LSTM from runtime shapes', () => {
    expect(
      macsOf(
        traced(
          'Conv',
          [
            [1, 3, 8, 8],
            [16, 3, 3, 3],
          ],
          [1, 16, 8, 8],
        ),
      ),
    ).toBe(16 * 64 * 27);
    expect(
      macsOf(
        traced(
          'Conv',
          [
            [1, 32, 8, 8],
            [32, 1, 3, 3],
          ],
          [1, 32, 8, 8],
        ),
      ),
    ).toBe(32 * 64 * 9);
    expect(
      macsOf(
        traced(
          'MatMul',
          [
            [2, 5, 64],
            [64, 10],
          ],
          [2, 5, 10],
        ),
      ),
    ).toBe(100 * 64);
    expect(macsOf(traced('Gemm', [[4, 256], [256, 10], [10]], [4, 10]))).toBe(40 * 256);
    expect(
      macsOf(
        traced(
          'LSTM',
          [
            [7, 1, 28],
            [1, 512, 28],
            [1, 512, 128],
          ],
          [7, 1, 1, 128],
        ),
      ),
    ).toBe(7 * 512 * (28 + 128));
    expect(macsOf(traced('Relu', [[1, 100]], [1, 100]))).toBe(0);
    expect(opCost(traced('Relu', [[1, 100]], [1, 100])).bytes).toBe(800);
    expect(opCost(traced('QLinearConv', [[1, 3, 8, 8], [], [], [16, 3, 3, 3]], [1, 16, 8, 8], 'uint8')).int8).toBe(true);
  });

  it('models a faster device as faster and int8 as cheaper where dot products exist', () => {
    const costs = [
      opCost(
        traced(
          'MatMul',
          [
            [64, 512],
            [512, 512],
          ],
          [64, 512],
        ),
      ),
    ];
    const pi4 = modelledTime(costs, device('raspberry-pi-4'), 1).ms;
    const pi5 = modelledTime(costs, device('raspberry-pi-5'), 1).ms;
    const mcu = modelledTime(costs, device('cortex-m7-stm32h7'), 1).ms;
    expect(pi5).toBeLessThan(pi4);
    expect(mcu).toBeGreaterThan(pi4 * 10);
    const int8 = [
      opCost(
        traced(
          'MatMulInteger',
          [
            [64, 512],
            [512, 512],
          ],
          [64, 512],
          'uint8',
        ),
      ),
    ];
    expect(modelledTime(int8, device('raspberry-pi-5'), 1).ms).toBeLessThan(pi5);
  });

  it('flags a model that does not fit a microcontroller', () => {
    const model = {
      bytes: 5_000_000,
      weightBytes: 4_900_000,
      float16WeightBytes: 0,
      peakActivationBytes: 2_000_000,
      widenedPeakActivationBytes: 2_000_000,
      float: true,
    };
    const fit = checkFit(device('cortex-m7-stm32h7'), model);
    expect(fit.fitsStorage).toBe(false);
    expect(fit.fitsRam).toBe(false);
    expect(fit.notes.join(' ')).toContain('Does not fit');
    expect(checkFit(device('raspberry-pi-5'), model).fitsRam).toBe(true);
  });
});

describe('device estimates', { timeout: 120_000 }, () => {
  it('measure here, calibrate, and give a range and a fit for each device', async () => {
    const model = matmulChain(folder, 'chain.onnx', 6, 64);
    const result = DeviceEstimateResult.parse(
      await estimateDevices(
        DeviceEstimateArgs.parse({ model, deviceIds: ['raspberry-pi-4', 'cortex-m7-stm32h7'], dims: { N: 8 } }),
        folder,
      ),
    );
    expect(result.macs).toBe(6 * 8 * 64 * 64);
    expect(result.weightBytes).toBe(6 * 64 * 64 * 4);
    expect(result.calibration.measuredMs).toBeGreaterThan(0);
    expect(result.calibration.efficiency).toBeGreaterThan(0);
    expect(result.estimates.map((e) => e.deviceId)).toEqual(['raspberry-pi-4', 'cortex-m7-stm32h7']);
    for (const estimate of result.estimates) {
      expect(estimate.latencyMs.low).toBeLessThan(estimate.latencyMs.expected);
      expect(estimate.latencyMs.expected).toBeLessThan(estimate.latencyMs.high);
    }
    expect(at(result.estimates, 1).latencyMs.expected).toBeGreaterThan(at(result.estimates, 0).latencyMs.expected);
    expect(result.assumptions.length).toBeGreaterThan(3);
  });

  it('estimate TFLite models from the shapes in the file, calibrated in the TFLite runtime', async () => {
    const costs = tfliteCosts(FACE_SHORT_TFLITE);
    expect(costs.costs.some((cost) => cost.opType === 'CONV_2D' && cost.macs > 0)).toBe(true);
    expect(costs.costs.some((cost) => cost.opType === 'DEPTHWISE_CONV_2D' && cost.macs > 0)).toBe(true);
    const result = DeviceEstimateResult.parse(
      await estimateDevices(DeviceEstimateArgs.parse({ model: FACE_SHORT_TFLITE, deviceIds: ['raspberry-pi-5'] }), folder),
    );
    expect(result.calibration).toMatchObject({ runtime: 'tflite', calibrated: true });
    expect(result.macs).toBeGreaterThan(1e6);
    expect(at(result.estimates, 0).fitsRam).toBe(true);
  });

  it('names unknown devices', async () => {
    const model = matmulChain(folder, 'chain2.onnx', 1, 8);
    await expect(estimateDevices(DeviceEstimateArgs.parse({ model, deviceIds: ['no-such-device'] }), folder)).rejects.toThrow(LitheError);
  });
});
