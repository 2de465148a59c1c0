import type { Verdict } from '../../contract/bench';
import type { RatioInterval } from './bootstrap';

/**
 * The verdict on B against A. A difference is called only when the whole confidence interval of
 * median(B)/median(A) lies beyond the minimum effect (e.g. below 0.95 or above 1.05 for 5 %):
 * a difference that is statistically clear but smaller than that is "no significant difference".
 */
export function decideVerdict(ratio: RatioInterval, minEffect: number): Verdict {
  if (ratio.high < 1 - minEffect) return 'faster';
  if (ratio.low > 1 + minEffect) return 'slower';
  return 'no-significant-difference';
}

const percent = (value: number): string => `${Math.round(Math.abs(value) * 100)} %`;

/** How much slower a median ratio above 1 is, in words: "23 %" or "3.3×". */
export function slowerBy(ratio: number): string {
  return ratio >= 2 ? `${ratio.toFixed(1)}×` : percent(ratio - 1);
}

/** One plain sentence for the verdict, with the interval. */
export function verdictSummary(verdict: Verdict, ratio: RatioInterval, minEffect: number): string {
  const ci = `${Math.round(ratio.confidence * 100)} % CI of the median ratio ${ratio.low.toFixed(3)}–${ratio.high.toFixed(3)}`;
  if (verdict === 'faster')
    return `B is ${ratio.median <= 0.5 ? `${(1 / ratio.median).toFixed(1)}×` : percent(1 - ratio.median)} faster than A (median ${ratio.median.toFixed(3)}× A; ${ci}).`;
  if (verdict === 'slower') return `B is ${slowerBy(ratio.median)} slower than A (median ${ratio.median.toFixed(3)}× A; ${ci}).`;
  return `No significant difference: B's median is ${ratio.median.toFixed(3)}× A's (${ci}; differences under ${percent(minEffect)} are not called).`;
}

/** Facts about the two sides that help explain an optimized model that got slower. */
export interface SlowdownFacts {
  sameModel: boolean;
  aBytes: number;
  bBytes: number;
  aOpTypes: readonly string[];
  bOpTypes: readonly string[];
  sameConfig: boolean;
  /** The side runs int8 (quantized) kernels. */
  aQuantized: boolean;
  bQuantized: boolean;
}

/** Likely causes when an "optimized" B turned out slower than A. */
export function slowdownCauses(facts: SlowdownFacts): string[] {
  const causes: string[] = [];
  const added = facts.bOpTypes.filter((op) => !facts.aOpTypes.includes(op));
  const quantOps = [
    'QuantizeLinear',
    'DequantizeLinear',
    'DynamicQuantizeLinear',
    'QLinearConv',
    'QLinearMatMul',
    'MatMulInteger',
    'ConvInteger',
  ];
  if (added.some((op) => op === 'QuantizeLinear' || op === 'DequantizeLinear' || op === 'DynamicQuantizeLinear')) {
    causes.push(
      'Quantize/Dequantize pairs were added around operators that still run in float: each pair costs a pass over the tensor and saves nothing.',
    );
  }
  if (facts.bQuantized && !facts.aQuantized) {
    causes.push(
      'B runs int8 kernels where A ran float: int8 only pays off where the runtime has fast int8 kernels for those operators and ' +
        'the CPU has int8 dot products (Arm SDOT/UDOT, x86 VNNI); other operators (e.g. LSTM) fall back to slow reference ' +
        'kernels, plus quantize/dequantize steps.',
    );
  } else if (facts.bOpTypes.some((op) => quantOps.includes(op))) {
    causes.push(
      'Int8 kernels are only faster with hardware int8 dot products (Arm SDOT/UDOT, x86 VNNI); without them ONNX Runtime may emulate them more slowly than float.',
    );
  }
  if (added.includes('Cast'))
    causes.push('Cast operators were added (e.g. for float16 weights): on a CPU without native float16 maths they convert every time.');
  if (facts.bBytes < facts.aBytes * 0.9)
    causes.push(
      'A smaller file is not a faster model: compression (pruning, weight clustering, fp16 storage) saves space, and dense kernels still do the same arithmetic.',
    );
  if (!facts.sameConfig)
    causes.push('The two sides ran with different settings (threads, optimization level, execution mode); compare like with like.');
  if (added.length > 0 && causes.length === 0)
    causes.push(
      `New operator types appeared (${added.slice(0, 6).join(', ')}): a rewrite may have blocked one of ONNX Runtime's own fusions.`,
    );
  causes.push(
    "Layout or shape changes can defeat the runtime's graph fusions (e.g. Conv+BatchNorm+ReLU); compare per-operator profiles (`lithe bench --profile`).",
  );
  return causes;
}
