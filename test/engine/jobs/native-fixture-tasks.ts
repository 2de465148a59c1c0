import ort from 'onnxruntime-node';
import type { EngineContext } from '../../../src/engine/context';

// A task the native-cancel test runs in real worker threads: it calls into ONNX Runtime's native
// addon all the time (create, run, release) and never looks at its signal, so only terminating the
// worker stops it, at whatever moment the test picks.

async function runOnnxUntilStopped(args: { model: string; rows: number; width: number }, ctx: EngineContext): Promise<never> {
  const x = new ort.Tensor('float32', new Float32Array(args.rows * args.width).fill(0.5), [args.rows, args.width]);
  for (let round = 0; ; round++) {
    const session = await ort.InferenceSession.create(args.model);
    for (let i = 0; i < 10; i++) await session.run({ x });
    ctx.onProgress?.({ stage: 'running', message: `round ${round}` });
    await session.release();
  }
}

export const tasks = { runOnnxUntilStopped };
