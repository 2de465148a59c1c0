import { resolve } from 'node:path';
import type { DeviceEstimate, DeviceEstimateArgs, DeviceEstimateResult } from '../../contract/devices';
import { isTfliteFile } from '../bench/model-kind';
import type { EngineContext } from '../context';
import { LitheError } from '../errors';
import { detectHostProfile } from './detect-host';
import { checkFit, runtimeFootprint } from './fit';
import { findDevice } from './find-device';
import { listDevices } from './list-devices';
import { CALIBRATION_RUNS, measureHere } from './measure-here';
import { CACHE_RESIDENT_BYTES } from './op-cost';
import { CACHE_BANDWIDTH_FACTOR, DISPATCH_CYCLES, modelledTime, THREAD_EFFICIENCY } from './roofline';

/** Spread of the estimate around the calibrated value: [low, high] multipliers. */
const RANGE = { cpu: [0.7, 1.5], mcu: [0.5, 3] } as const;
/** measured / modelled assumed when a model cannot run here (typical of what calibration finds). */
export const DEFAULT_EFFICIENCY = 2.5;

/**
 * Estimates a model's latency on device profiles: measure it here (one thread), cost each operator
 * (MACs and bytes, from the shapes ONNX Runtime ran with or the shapes stored in a TFLite file) on a
 * roofline for this machine and for each device, and scale each device's modelled time by
 * measured / modelled here. Also checks RAM and storage (flash) fit.
 */
export async function estimateDevices(
  args: DeviceEstimateArgs,
  userFolder: string,
  ctx: EngineContext = {},
): Promise<DeviceEstimateResult> {
  const model = resolve(args.model);
  const { profiles } = listDevices(userFolder);
  const host = profiles.find((profile) => profile.kind === 'detected') ?? detectHostProfile();
  const wanted = args.deviceIds ? args.deviceIds.map((id) => findDevice(profiles, id) ?? id) : profiles;
  const unknown = wanted.filter((entry): entry is string => typeof entry === 'string');
  if (unknown.length > 0)
    throw new LitheError(
      'invalid-argument',
      `unknown device ${unknown.map((id) => `"${id}"`).join(', ')}; see \`lithe devices\` for the ids`,
    );
  const targets = wanted.filter((entry) => typeof entry !== 'string');

  ctx.onProgress?.({ stage: 'measure', fraction: 0, message: 'measuring on this machine' });
  const tflite = isTfliteFile(model);
  const here = await measureHere(model, tflite, { dims: args.dims, values: args.values }, ctx);
  const { costs, costRuns } = here;
  const perRun = (value: number): number => value / costRuns;
  const macs = perRun(costs.reduce((sum, cost) => sum + cost.macs, 0));
  const bytesMoved = perRun(costs.reduce((sum, cost) => sum + cost.bytes, 0));
  const float = !costs.some((cost) => cost.int8);
  const modelledHere = perRun(modelledTime(costs, host, 1).ms);
  const { measuredMs } = here;
  const calibrated = measuredMs !== undefined && modelledHere > 0;
  const efficiency = calibrated ? measuredMs / modelledHere : DEFAULT_EFFICIENCY;

  const estimates = targets.map((device): DeviceEstimate => {
    const threads = Math.min(device.cores, 4);
    const modelled = modelledTime(costs, device, threads);
    const expected = perRun(modelled.ms) * efficiency;
    const [low, high] = device.storageKind === 'flash' ? RANGE.mcu : RANGE.cpu;
    const fit = checkFit(device, {
      bytes: here.modelBytes,
      weightBytes: here.weightBytes,
      float16WeightBytes: here.float16WeightBytes,
      peakActivationBytes: here.peakActivationBytes,
      widenedPeakActivationBytes: here.widenedPeakActivationBytes,
      float,
    });
    return {
      deviceId: device.id,
      deviceName: device.name,
      latencyMs: { low: expected * low, expected, high: expected * high },
      threads,
      memoryBoundShare: modelled.memoryBoundShare,
      ramNeededBytes: fit.ramNeededBytes,
      storageNeededBytes: fit.storageNeededBytes,
      fitsRam: fit.fitsRam,
      fitsStorage: fit.fitsStorage,
      notes: [...fit.notes, ...(device.notes ? [device.notes] : []), `Runtime assumed: ${runtimeFootprint(device).name}.`],
    };
  });
  ctx.onProgress?.({ stage: 'done', fraction: 1 });
  const runtimeName = tflite
    ? 'the TFLite WebAssembly runtime (XNNPACK, one thread)'
    : 'ONNX Runtime (CPU, one thread, all graph optimizations)';
  return {
    model,
    modelBytes: here.modelBytes,
    macs,
    bytesMoved,
    weightBytes: here.weightBytes,
    peakActivationBytes: here.peakActivationBytes,
    calibration: {
      deviceId: host.id,
      runtime: here.runtime,
      calibrated,
      measuredMs: here.measuredMs ?? 0,
      modelledMs: modelledHere,
      efficiency,
      threads: 1,
    },
    estimates,
    assumptions: [
      calibrated
        ? `Calibrated on this machine: the median of ${CALIBRATION_RUNS} runs in ${runtimeName} was ` +
          `${measuredMs.toFixed(3)} ms against ${modelledHere.toFixed(3)} ms modelled, ` +
          `so every device's modelled time is multiplied by ${efficiency.toFixed(2)}.`
        : `Not calibrated: the model could not run on this machine (${here.failure ?? 'unknown reason'}); ` +
          `a typical efficiency of ${DEFAULT_EFFICIENCY} (measured / modelled) is assumed, so the latencies are rougher than usual.`,
      'Per operator: the longer of arithmetic time (MACs at the device peak MACs per cycle, int8 or fp32) and memory time ' +
        `(bytes read and written; on CPUs, tensors up to ${CACHE_RESIDENT_BYTES / 1024 / 1024} MB are taken to stay in cache ` +
        `at ${CACHE_BANDWIDTH_FACTOR}× the memory bandwidth), plus a fixed dispatch cost of ${DISPATCH_CYCLES} cycles. ` +
        (tflite
          ? 'Shapes are the ones stored in the TFLite file.'
          : "Shapes are the ones ONNX Runtime ran with at basic graph optimization, i.e. the model's own layout (dynamic dimensions as in `lithe bench`).") +
        ' Operators that read only weights (the float32 copy of float16 weights, densified sparse weights) are left out: a runtime computes them once, when it loads the model.',
      ...(tflite ? ['The WebAssembly runtime is usually slower than native TFLite on a device, so these estimates lean pessimistic.'] : []),
      `Threads: the device's cores, at most 4; each extra thread adds ${Math.round(THREAD_EFFICIENCY * 100)} % of ideal speed-up to arithmetic, none to memory traffic.`,
      `Range: ×${RANGE.cpu[0]}–×${RANGE.cpu[1]} of the expected value for CPUs (kernels and caches differ between micro-architectures), ` +
        `×${RANGE.mcu[0]}–×${RANGE.mcu[1]} for microcontrollers (a different runtime).`,
      'RAM needed: weights (except on microcontrollers, where they stay in flash) + the activations live at once at the busiest step + the runtime. ' +
        'On a device without float16 arithmetic, and on microcontrollers (TFLite Micro has no float16 kernels), float16 is widened to float32: ' +
        'float16 weights take twice their bytes in RAM (never staying in flash), activations and memory traffic count as float32. ' +
        'Values computed from weights alone count as weights; activations count in the type the file stores them in, ' +
        'with quantize/dequantize pairs, activation functions and reshapes fused as int8 runtimes fuse them. Storage needed: model file + runtime.',
      'Not modelled: GPUs, NPUs and DSPs; thermal throttling; other apps competing for the device.',
    ],
  };
}
