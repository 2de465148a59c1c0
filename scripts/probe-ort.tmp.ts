import { readFileSync } from 'node:fs';
const has = () => readFileSync('/proc/self/maps', 'utf8').includes('onnxruntime');
const { inspectModel } = await import('../src/engine/inspect/inspect-model');
console.log('imported', has());
await inspectModel('/work/shared/models/tflite/hello_world_float.tflite', {});
console.log('after tflite', has());
await inspectModel('/work/shared/models/onnx/silero_vad_v5.onnx', {});
console.log('after onnx', has());
