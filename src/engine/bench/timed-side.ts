import { statSync } from 'node:fs';
import type { BenchCompareArgs, BenchConfig } from '../../contract/bench';
import { TFLITE_MODEL_FORMAT } from '../formats/tflite';
import { createOnnxSession, prepareFeeds, readModelFacts, runError } from '../runtime/onnx';
import { createTfliteSession, randomInput, seededRandom, tfliteThreads } from '../runtime/tflite';
import { isTfliteFile } from './model-kind';

/** One loaded side of an A/B comparison. */
export interface TimedSide {
  /** The configuration actually used (TFLite: its threads; it has no other setting). */
  config: BenchConfig;
  /** Runs once; resolves to its latency in ms. */
  timedRun(): Promise<number>;
  release(): Promise<void>;
}

/** Facts used to explain a slow-down: file size and operator types. */
const ONNX_INT8_OPS = ['QLinearConv', 'QLinearMatMul', 'ConvInteger', 'MatMulInteger', 'DynamicQuantizeLinear', 'QuantizeLinear'];

export function sideFacts(model: string): { bytes: number; opTypes: string[]; quantized: boolean } {
  if (!isTfliteFile(model)) {
    const facts = readModelFacts(model);
    return { ...facts, quantized: facts.opTypes.some((op) => ONNX_INT8_OPS.includes(op)) };
  }
  const ir = TFLITE_MODEL_FORMAT.read(model);
  const quantized = ir.graph.nodes.some((node) =>
    node.inputs.some(
      (value) => value?.type?.kind === 'tensor' && (value.type.dtype === 'int8' || value.type.dtype === 'uint8') && !value.initializer,
    ),
  );
  return { bytes: statSync(model).size, opTypes: [...new Set(ir.graph.nodes.map((node) => node.opType))].sort(), quantized };
}

/**
 * Loads one side. ONNX: an ONNX Runtime session timed by wall clock around `session.run`.
 * TFLite: the WebAssembly runtime, timed by the interpreter time it reports (without the hop to
 * its worker thread).
 */
export async function openSide(side: { model: string; config: BenchConfig }, args: BenchCompareArgs): Promise<TimedSide> {
  if (isTfliteFile(side.model)) {
    const threads = tfliteThreads(side.config.threads);
    const session = await createTfliteSession(side.model, { threads });
    const random = seededRandom(args.inputs.seed);
    const feeds = session.inputs.map((info) => randomInput(info, random));
    return {
      config: {
        runtime: 'tflite',
        executionProvider: 'xnnpack-wasm',
        threads,
        interOpThreads: 1,
        optLevel: side.config.optLevel,
        executionMode: 'sequential',
      },
      timedRun: async () => (await session.run(feeds)).ms,
      release: () => session.dispose(),
    };
  }
  const { session } = await createOnnxSession(side.model, side.config);
  const { feeds } = prepareFeeds(session, args.inputs, side.model);
  return {
    config: side.config,
    timedRun: async () => {
      const started = performance.now();
      try {
        await session.run(feeds);
      } catch (error) {
        throw runError(side.model, error);
      }
      return performance.now() - started;
    },
    release: () => session.release(),
  };
}
