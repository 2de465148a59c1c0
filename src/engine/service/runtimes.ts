import { createRequire } from 'node:module';
import { TFLITE_RUNTIME_NAME } from '../runtime/tflite/tflite-session';
import { TFLITE_WASM_PACKAGE } from '../runtime/tflite/tflite-wasm';

/** An inference runtime Lithe can run models in. */
export interface RuntimeInfo {
  id: string;
  name: string;
  available: boolean;
}

/** The runtimes this installation has (checked by resolving their packages, without loading them). */
export function listRuntimes(): RuntimeInfo[] {
  const require = createRequire(import.meta.url);
  const has = (name: string): boolean => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  };
  return [
    { id: 'onnxruntime', name: 'ONNX Runtime (native CPU)', available: has('onnxruntime-node') },
    { id: 'tflite', name: TFLITE_RUNTIME_NAME, available: has(TFLITE_WASM_PACKAGE) },
  ];
}
