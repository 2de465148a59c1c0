import { basename } from 'node:path';
import type { BenchCompareArgs, BenchCompareResult, BenchConfig, CompareSideResult } from '../../contract/bench';
import type { EngineContext } from '../context';
import { throwIfCancelled } from '../errors';
import { seededRandom } from '../runtime/onnx';
import { bootstrapMedianRatio } from './bootstrap';
import { machineInfo } from './machine-info';
import { histogram, latencyStats } from './stats';
import { openSide, sideFacts } from './timed-side';
import { decideVerdict, slowdownCauses, slowerBy, verdictSummary } from './verdict';

function sideResult(side: { model: string; config: BenchConfig }, samples: Float64Array): CompareSideResult {
  return {
    model: side.model,
    modelName: basename(side.model),
    config: side.config,
    latencyMs: latencyStats(samples),
    samplesMs: Array.from(samples),
    histogram: histogram(samples),
  };
}

const sameConfig = (x: BenchConfig, y: BenchConfig): boolean =>
  x.executionProvider === y.executionProvider &&
  x.threads === y.threads &&
  x.interOpThreads === y.interOpThreads &&
  x.optLevel === y.optLevel &&
  x.executionMode === y.executionMode;

/**
 * A/B comparison in one process: both sessions stay loaded and runs alternate A, B (order drawn at
 * random for each pair), so drifts of the machine hit both sides alike. The verdict comes from a
 * paired bootstrap interval of median(B)/median(A) and a minimum effect size.
 */
export async function runCompare(args: BenchCompareArgs, ctx: EngineContext = {}): Promise<BenchCompareResult> {
  ctx.onProgress?.({ stage: 'load', fraction: 0, message: 'loading both models' });
  const a = await openSide(args.a, args);
  try {
    const b = await openSide(args.b, args);
    try {
      await a.timedRun();
      await b.timedRun();
      for (let i = 0; i < args.warmupRuns; i++) {
        await a.timedRun();
        await b.timedRun();
      }
      throwIfCancelled(ctx.signal);
      const random = seededRandom(args.inputs.seed + 7);
      const samplesA = new Float64Array(args.pairs);
      const samplesB = new Float64Array(args.pairs);
      let nextTick = 0;
      for (let i = 0; i < args.pairs; i++) {
        if (random() < 0.5) {
          samplesA[i] = await a.timedRun();
          samplesB[i] = await b.timedRun();
        } else {
          samplesB[i] = await b.timedRun();
          samplesA[i] = await a.timedRun();
        }
        const now = performance.now();
        if (now >= nextTick) {
          nextTick = now + 100;
          throwIfCancelled(ctx.signal);
          ctx.onProgress?.({ stage: 'measure', fraction: 0.05 + (0.9 * i) / args.pairs, message: `${i + 1} of ${args.pairs} pairs` });
        }
      }
      ctx.onProgress?.({ stage: 'analyse', fraction: 0.96 });
      const ratio = bootstrapMedianRatio(samplesA, samplesB, { seed: args.inputs.seed });
      const verdict = decideVerdict(ratio, args.minEffect);
      const result: BenchCompareResult = {
        machine: machineInfo(),
        a: sideResult({ model: args.a.model, config: a.config }, samplesA),
        b: sideResult({ model: args.b.model, config: b.config }, samplesB),
        pairs: args.pairs,
        ratio,
        minEffect: args.minEffect,
        verdict,
        summary: verdictSummary(verdict, ratio, args.minEffect),
      };
      if (args.bIsOptimized && verdict === 'slower') {
        const factsA = sideFacts(args.a.model);
        const factsB = sideFacts(args.b.model);
        result.warning = {
          message:
            `The optimized model is ${slowerBy(ratio.median)} slower than the original on this machine (median ratio ` +
            `${ratio.median.toFixed(3)}, ${Math.round(ratio.confidence * 100)} % CI ` +
            `${ratio.low.toFixed(3)}–${ratio.high.toFixed(3)}). Do not ship it for speed.`,
          likelyCauses: slowdownCauses({
            sameModel: args.a.model === args.b.model,
            aBytes: factsA.bytes,
            bBytes: factsB.bytes,
            aOpTypes: factsA.opTypes,
            bOpTypes: factsB.opTypes,
            sameConfig: sameConfig(a.config, b.config),
            aQuantized: factsA.quantized,
            bQuantized: factsB.quantized,
          }),
        };
      }
      ctx.onProgress?.({ stage: 'done', fraction: 1 });
      return result;
    } finally {
      await b.release();
    }
  } finally {
    await a.release();
  }
}
