import { resolve } from 'node:path';
import type { DeviceEstimate, DeviceEstimateArgs, DeviceEstimateResult } from '../../contract/devices';
import type { EngineContext } from '../context';
import { LitheError, throwIfCancelled } from '../errors';
import { profileModel } from '../bench/profile-session';
import { median } from '../bench/stats';
import { measureLoop } from '../bench/measure-loop';
import { createOnnxSession, DEFAULT_ORT_CONFIG, prepareFeeds, readModelFacts, runError } from '../runtime/onnx';
import { checkFit, runtimeFootprint } from './fit';
import { listDevices } from './list-devices';
import { opCost, peakActivationBytes } from './op-cost';
import { DISPATCH_CYCLES, modelledTime, THREAD_EFFICIENCY } from './roofline';

const CALIBRATION_RUNS = 30;
const PROFILE_RUNS = 5;
/** Spread of the estimate around the calibrated value: [low, high] multipliers. */
const RANGE = { cpu: [0.7, 1.5], mcu: [0.5, 3] } as const;

/**
 * Estimates a model's latency on device profiles: measure it here (one thread), profile it to get
 * every operator's real shapes, cost each operator (MACs and bytes) on a roofline for this machine
 * and for each device, and scale each device's modelled time by measured / modelled here.
 */
export async function estimateDevices(args: DeviceEstimateArgs, userFolder: string, ctx: EngineContext = {}): Promise<DeviceEstimateResult> {
  const model = resolve(args.model);
  const { profiles } = listDevices(userFolder);
  const host = profiles.find((profile) => profile.kind === 'detected') ?? profiles[0];
  const wanted = args.deviceIds ? args.deviceIds.map((id) => profiles.find((profile) => profile.id === id) ?? id) : profiles;
  const unknown = wanted.filter((entry): entry is string => typeof entry === 'string');
  if (unknown.length > 0) throw new LitheError('invalid-argument', `unknown device ${unknown.map((id) => `"${id}"`).join(', ')}; see \`lithe devices\` for the ids`);
  const targets = wanted.filter((entry) => typeof entry !== 'string');

  const facts = readModelFacts(model);
  ctx.onProgress?.({ stage: 'measure', fraction: 0, message: 'measuring on this machine' });
  const config = DEFAULT_ORT_CONFIG;
  const loaded = await createOnnxSession(model, config);
  let measuredMs: number;
  let feeds;
  try {
    feeds = prepareFeeds(loaded.session, { dims: args.dims, values: args.values, seed: 1 }, model).feeds;
    const session = loaded.session;
    const inputs = feeds;
    const step = async (): Promise<void> => {
      try {
        await session.run(inputs);
      } catch (error) {
        throw runError(model, error);
      }
    };
    await measureLoop(step, { runs: 5 });
    measuredMs = median((await measureLoop(step, { runs: CALIBRATION_RUNS }, undefined, ctx.signal)).samplesMs);
  } finally {
    await loaded.session.release();
  }
  throwIfCancelled(ctx.signal);
  ctx.onProgress?.({ stage: 'profile', fraction: 0.5, message: 'profiling operators' });
  // Profile with basic optimizations only: layout rewrites (NCHWc) pad channels to this CPU's
  // vector width, and the cost model wants the model's own shapes.
  const trace = await profileModel(model, { ...config, optLevel: 'basic' }, feeds, PROFILE_RUNS, ctx.signal);
  const costs = trace.nodes.map(opCost);
  const perRun = (value: number): number => value / trace.runs;
  const macs = perRun(costs.reduce((sum, cost) => sum + cost.macs, 0));
  const bytesMoved = perRun(costs.reduce((sum, cost) => sum + cost.bytes, 0));
  const peakActivation = peakActivationBytes(trace.nodes);
  const float = !costs.some((cost) => cost.int8);
  const modelledHere = perRun(modelledTime(costs, host, 1).ms);
  const efficiency = modelledHere > 0 ? measuredMs / modelledHere : 1;

  const estimates = targets.map((device): DeviceEstimate => {
    const threads = Math.min(device.cores, 4);
    const modelled = modelledTime(costs, device, threads);
    const expected = perRun(modelled.ms) * efficiency;
    const [low, high] = device.storageKind === 'flash' ? RANGE.mcu : RANGE.cpu;
    const fit = checkFit(device, { bytes: facts.bytes, weightBytes: facts.weightBytes, peakActivationBytes: peakActivation, float });
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
  return {
    model,
    modelBytes: facts.bytes,
    macs,
    bytesMoved,
    weightBytes: facts.weightBytes,
    peakActivationBytes: peakActivation,
    calibration: { deviceId: host.id, measuredMs, modelledMs: modelledHere, efficiency, threads: 1 },
    estimates,
    assumptions: [
      `Calibrated on this machine: median of ${CALIBRATION_RUNS} runs with 1 thread (ONNX Runtime CPU, all graph optimizations) was ${measuredMs.toFixed(3)} ms against ${modelledHere.toFixed(3)} ms modelled, so every device's modelled time is multiplied by ${efficiency.toFixed(2)}.`,
      'Per operator: the longer of arithmetic time (MACs at the device peak MACs per cycle, int8 or fp32) and memory time (bytes read and written at the device memory bandwidth), plus a fixed dispatch cost of ' +
        `${DISPATCH_CYCLES} cycles. Shapes are the ones ONNX Runtime ran with (dynamic dimensions as in \`lithe bench\`).`,
      `Threads: the device's cores, at most 4; each extra thread adds ${Math.round(THREAD_EFFICIENCY * 100)} % of ideal speed-up to arithmetic, none to memory traffic.`,
      `Range: ×${RANGE.cpu[0]}–×${RANGE.cpu[1]} of the expected value for CPUs (kernels and caches differ between micro-architectures), ×${RANGE.mcu[0]}–×${RANGE.mcu[1]} for microcontrollers (a different runtime).`,
      'RAM needed: weights (except on microcontrollers, where they stay in flash) + the largest activation footprint seen + the runtime. Storage needed: model file + runtime.',
      'Not modelled: GPUs, NPUs and DSPs; thermal throttling; other apps competing for the device.',
    ],
  };
}
