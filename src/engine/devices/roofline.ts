import type { DeviceProfile } from '../../contract/devices';
import { widensFloat16 } from './float16';
import type { OpCost } from './op-cost';

/** Fixed cost of dispatching one operator, in CPU cycles (kernel lookup, allocation, threading). */
export const DISPATCH_CYCLES = 2000;
/** Cache bandwidth as a multiple of the memory bandwidth figure (CPUs with caches). */
export const CACHE_BANDWIDTH_FACTOR = 4;
/** Share of ideal speed-up each extra thread adds to arithmetic-bound work. */
export const THREAD_EFFICIENCY = 0.7;

/** Modelled time of one inference on a device, before calibration. */
export interface ModelledTime {
  ms: number;
  /** Share of the time bound by memory traffic. */
  memoryBoundShare: number;
}

/**
 * A per-operator roofline: each operator takes the longer of its arithmetic time (MACs at the
 * device's peak MACs per cycle, int8 or fp32, over the threads used) and its memory time (bytes at
 * the device's bandwidth), plus a fixed dispatch cost. On a device that widens float16 to float32
 * ({@link widensFloat16}) float16 tensors move as float32.
 */
export function modelledTime(costs: readonly OpCost[], device: DeviceProfile, threads: number): ModelledTime {
  const hz = device.clockGHz * 1e9;
  const speedup = 1 + (Math.max(1, threads) - 1) * THREAD_EFFICIENCY;
  const bandwidth = device.memoryBandwidthGBps * 1e9;
  const widen = widensFloat16(device);
  let seconds = 0;
  let memorySeconds = 0;
  for (const cost of costs) {
    const perCycle = cost.int8 ? device.int8MacsPerCycle : device.fp32MacsPerCycle;
    const compute = cost.macs / (perCycle * hz * speedup);
    // Small tensors stay in cache on CPUs; a microcontroller's SRAM figure is already its speed.
    const bytes = widen ? cost.bytes + cost.float16Bytes : cost.bytes;
    const largeBytes = widen ? cost.largeBytes + cost.largeFloat16Bytes : cost.largeBytes;
    const cached = device.storageKind === 'flash' ? 0 : bytes - largeBytes;
    const memory = (bytes - cached) / bandwidth + cached / (bandwidth * CACHE_BANDWIDTH_FACTOR);
    seconds += Math.max(compute, memory) + DISPATCH_CYCLES / hz;
    if (memory > compute) memorySeconds += memory;
  }
  return { ms: seconds * 1000, memoryBoundShare: seconds > 0 ? Math.min(1, memorySeconds / seconds) : 0 };
}
