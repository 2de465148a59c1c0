import { describe, expect, it } from 'vitest';
import type { DeviceProfile } from '../../../src/contract/devices';
import { BUILTIN_PROFILES } from '../../../src/engine/devices/builtin-profiles';
import { simdFromFlags } from '../../../src/engine/devices/detect-host';
import { checkFit, runtimeFootprint } from '../../../src/engine/devices/fit';
import { widensFloat16 } from '../../../src/engine/devices/float16';
import { opCost, readsOnlyWeights } from '../../../src/engine/devices/op-cost';
import { modelledTime } from '../../../src/engine/devices/roofline';

const device = (id: string): DeviceProfile => {
  const found = BUILTIN_PROFILES.find((profile) => profile.id === id);
  if (!found) throw new Error(`no profile ${id}`);
  return found;
};
const KB = 1024;
/** A float16 model: 100 KB of float16 weights, activations of 10 KB as stored (20 KB as float32). */
const half = {
  bytes: 110 * KB,
  weightBytes: 100 * KB,
  float16WeightBytes: 100 * KB,
  peakActivationBytes: 10 * KB,
  widenedPeakActivationBytes: 20 * KB,
  float: true,
};

// Issue 14: microcontrollers (and CPUs before Armv8.2-A) have no float16 arithmetic; float16 weights are
// widened to float32 there, and the estimate counts it and says so.
describe('float16 on a device', () => {
  it('is widened where the profile has no float16 arithmetic, and always on a microcontroller', () => {
    expect(widensFloat16(device('cortex-m7-stm32h7'))).toBe(true);
    expect(widensFloat16(device('raspberry-pi-4'))).toBe(true);
    expect(widensFloat16(device('x86-laptop-avx2'))).toBe(true);
    expect(widensFloat16(device('raspberry-pi-5'))).toBe(false);
    expect(widensFloat16(device('apple-m1'))).toBe(false);
    expect(widensFloat16({ ...device('cortex-m7-stm32h7'), fp16Arithmetic: true })).toBe(true);
    expect(simdFromFlags(new Set(['asimd', 'asimdhp', 'asimddp']), 'arm64').fp16Arithmetic).toBe(true);
    expect(simdFromFlags(new Set(['asimd']), 'arm64').fp16Arithmetic).toBe(false);
    expect(simdFromFlags(new Set(['avx512f', 'avx512_fp16']), 'x64').fp16Arithmetic).toBe(true);
  });

  it('takes twice its weight bytes in RAM on a microcontroller, where float weights stay in flash', () => {
    const mcu = device('cortex-m7-stm32h7');
    const fit = checkFit(mcu, half);
    expect(fit.ramNeededBytes).toBe(200 * KB + 20 * KB + runtimeFootprint(mcu).ramBytes);
    expect(fit.notes).toContain(
      'Float16 is widened to float32 here (TFLite Micro has no float16 kernels): the 100 KB of float16 weights take 200 KB of RAM ' +
        'instead of staying in flash, activations are float32 and the arithmetic is float32, as for the float model.',
    );
    const float = checkFit(mcu, { ...half, weightBytes: 200 * KB, float16WeightBytes: 0, peakActivationBytes: 20 * KB });
    expect(float.ramNeededBytes).toBe(20 * KB + runtimeFootprint(mcu).ramBytes);
    expect(float.notes.join(' ')).not.toMatch(/widened/);
  });

  it('is held as stored on a CPU with float16 arithmetic, widened on one without', () => {
    const pi5 = checkFit(device('raspberry-pi-5'), half);
    expect(pi5.ramNeededBytes).toBe(100 * KB + 10 * KB + runtimeFootprint(device('raspberry-pi-5')).ramBytes);
    expect(pi5.notes.join(' ')).not.toMatch(/widened/);
    const pi4 = checkFit(device('raspberry-pi-4'), half);
    expect(pi4.ramNeededBytes).toBe(200 * KB + 20 * KB + runtimeFootprint(device('raspberry-pi-4')).ramBytes);
    expect(pi4.notes.join(' ')).toMatch(/^Float16 is widened to float32 here \(no float16 arithmetic\)/);
  });

  it('moves float16 tensors as float32 where they are widened', () => {
    const add = opCost({
      name: 'add',
      opType: 'Add',
      provider: 'cpu',
      selfUs: 0,
      inputs: [
        { dtype: 'float16', shape: [1, 1024, 1024] },
        { dtype: 'float16', shape: [1, 1024, 1024] },
      ],
      outputs: [{ dtype: 'float16', shape: [1, 1024, 1024] }],
      parameterBytes: 0,
      activationBytes: 0,
      outputBytes: 0,
    });
    expect(add.float16Bytes).toBe(add.bytes);
    const pi4 = device('raspberry-pi-4');
    const widened = modelledTime([add], pi4, 1).ms;
    const native = modelledTime([add], { ...pi4, fp16Arithmetic: true }, 1).ms;
    expect(widened).toBeGreaterThan(1.8 * native);
  });

  it('leaves out of the time the casts ONNX Runtime inserts before float16 weights: they are load-time work', () => {
    const node = (opType: string, parameterBytes: number, activationBytes: number) => ({
      name: opType,
      opType,
      provider: 'cpu',
      selfUs: 0,
      inputs: [],
      outputs: [],
      parameterBytes,
      activationBytes,
      outputBytes: 0,
    });
    expect(readsOnlyWeights(node('Cast', 401_408, 0))).toBe(true);
    expect(readsOnlyWeights(node('Conv', 640, 3136))).toBe(false);
    expect(readsOnlyWeights(node('Shape', 0, 0))).toBe(false);
  });
});
