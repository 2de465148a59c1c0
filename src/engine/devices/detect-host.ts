import { readFileSync } from 'node:fs';
import { arch, cpus, totalmem } from 'node:os';
import type { DeviceProfile } from '../../contract/devices';

/** CPU facts read from /proc/cpuinfo (Linux); empty elsewhere. */
export interface CpuInfoFacts {
  flags: Set<string>;
  mhz?: number;
  model?: string;
}

/** Parses /proc/cpuinfo text (x86 `flags`, Arm `Features`, `cpu MHz`). */
export function parseCpuInfo(text: string): CpuInfoFacts {
  const flags = new Set<string>();
  let mhz: number | undefined;
  let model: string | undefined;
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.split(':');
    const name = key?.trim().toLowerCase();
    const value = rest.join(':').trim();
    if (name === 'flags' || name === 'features') for (const flag of value.split(/\s+/)) flags.add(flag);
    else if (name === 'cpu mhz' && mhz === undefined) mhz = Number(value) || undefined;
    else if (name === 'model name' && model === undefined) model = value;
  }
  return { flags, mhz, model };
}

/** SIMD figures implied by CPU flags. */
export function simdFromFlags(
  flags: Set<string>,
  cpuArch: string,
): Pick<DeviceProfile, 'simd' | 'simdWidthBits' | 'int8DotProduct' | 'fp16Arithmetic' | 'fp32MacsPerCycle' | 'int8MacsPerCycle'> {
  if (cpuArch === 'arm64' || flags.has('asimd')) {
    const dot = flags.has('asimddp');
    return {
      simd: flags.has('sve') ? 'NEON + SVE' : 'NEON',
      simdWidthBits: 128,
      int8DotProduct: dot,
      fp16Arithmetic: flags.has('asimdhp'),
      fp32MacsPerCycle: 8,
      int8MacsPerCycle: dot ? 32 : 16,
    };
  }
  const vnni = flags.has('avx512_vnni') || flags.has('avx_vnni');
  if (flags.has('avx512f'))
    return {
      simd: 'AVX-512',
      simdWidthBits: 512,
      int8DotProduct: vnni,
      fp16Arithmetic: flags.has('avx512_fp16'),
      fp32MacsPerCycle: 32,
      int8MacsPerCycle: vnni ? 128 : 64,
    };
  if (flags.has('avx2'))
    return {
      simd: 'AVX2',
      simdWidthBits: 256,
      int8DotProduct: vnni,
      fp32MacsPerCycle: flags.has('fma') ? 16 : 8,
      int8MacsPerCycle: vnni ? 64 : 32,
    };
  if (flags.has('sse4_2') || flags.has('sse2'))
    return { simd: 'SSE', simdWidthBits: 128, int8DotProduct: false, fp32MacsPerCycle: 4, int8MacsPerCycle: 8 };
  return { simd: 'none', simdWidthBits: 0, int8DotProduct: false, fp32MacsPerCycle: 1, int8MacsPerCycle: 1 };
}

/** Assumed memory bandwidth of this machine, GB/s (the OS does not report it). */
export const ASSUMED_HOST_BANDWIDTH_GBPS = 20;

/** A profile of the machine Lithe runs on, from os.cpus(), os.totalmem() and /proc/cpuinfo. */
export function detectHostProfile(cpuInfoText?: string): DeviceProfile {
  let text = cpuInfoText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      text = '';
    }
  }
  const facts = parseCpuInfo(text);
  const cores = cpus();
  const model = cores[0]?.model.trim() || facts.model || 'this machine';
  const fromName = /@\s*([\d.]+)\s*GHz/i.exec(model);
  const mhz = cores[0]?.speed || facts.mhz || (fromName ? Number(fromName[1]) * 1000 : 2000);
  return {
    id: 'this-machine',
    name: `This machine (${model})`,
    kind: 'detected',
    cores: Math.max(1, cores.length),
    clockGHz: Math.round(mhz / 10) / 100,
    ...simdFromFlags(facts.flags, arch()),
    memoryBandwidthGBps: ASSUMED_HOST_BANDWIDTH_GBPS,
    ramBytes: totalmem(),
    reservedRamBytes: 0,
    storageKind: 'disk',
    storageBytes: 64 * 1024 ** 3,
    sources: [
      'Detected: cores and clock from os.cpus(), RAM from os.totalmem(), SIMD and dot-product support from /proc/cpuinfo flags',
      `Assumed: memory bandwidth ${ASSUMED_HOST_BANDWIDTH_GBPS} GB/s and 64 GB free storage (the OS does not report them)`,
    ],
  };
}
