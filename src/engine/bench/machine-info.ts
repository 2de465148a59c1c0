import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, cpus, platform, totalmem } from 'node:os';
import type { MachineInfo } from '../../contract/bench';

/** onnxruntime-node's version, read from its package.json (without loading the native addon). */
function onnxruntimeVersion(): string {
  try {
    const file = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** The machine and software the numbers are measured with. */
export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown CPU',
    cores: cores.length,
    totalMemoryBytes: totalmem(),
    platform: platform(),
    arch: arch(),
    node: process.versions.node,
    onnxruntime: onnxruntimeVersion(),
  };
}
