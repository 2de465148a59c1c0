import { createRequire } from 'node:module';
import { LITHE_VERSION } from '../service/version';

/** Versions of Lithe and the runtimes it used, for reports. */
export function toolVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versionOf = (name: string): string => {
    try {
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  };
  return { lithe: LITHE_VERSION, node: process.versions.node, 'onnxruntime-node': versionOf('onnxruntime-node') };
}
