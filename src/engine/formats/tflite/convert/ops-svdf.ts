// SVDF (a fully connected layer factored into a feature filter and a time filter over a state):
//   SVDF(x [B, I], Wf [F, I], Wt [F, M], bias [U], state [B, F·M])   with U = F / rank
//   ⇒  a     = x · Wfᵀ                                            [B, F]   (feature filter)
//      s     = concat(state[:, :, 0 : M−1], a)   on state as [B, F, M]      (newest activation last)
//      y[u]  = bias[u] + Σ_{r<rank} Σ_m Wt[u·rank + r, m] · s[:, u·rank + r, m]   (time filter, rank sum)
//      state′ = concat(s[:, :, 1 : M], 0)                                    (shifted left for the next run)
// The float op applies the fused activation to y. The integer op (int8 input, weights and output,
// int16 weights_time and state, int32 bias) rounds `a` to the state's grid and clamps it to int16, adds
// the raw int32 bias in units of state scale × weights_time scale, rescales to the output and clamps
// to int8 — with no activation: TFLite's integer kernel ignores the fused one, and so does this.
import type { Value } from '../../../ir/value';
import { fusedActivation } from './layout';
import { cannot, shapeOfRank, type OpContext } from './op-context';

const INPUT = 0;
const FEATURE = 1;
const TIME = 2;
const BIAS = 3;
const STATE = 4;

function svdf(ctx: OpContext): void {
  const { em, base } = ctx;
  const rank = ctx.attr('rank', 0);
  const [batch, inputSize] = shapeOfRank(ctx.facts(INPUT).shape, 2, 'only 2-D input (batch, features) is supported');
  const [filters, featureSize] = shapeOfRank(ctx.facts(FEATURE).shape, 2, 'the feature weights must be 2-D');
  const [timeFilters, memory] = shapeOfRank(ctx.facts(TIME).shape, 2, 'the time weights must be 2-D');
  if (rank <= 0 || filters % rank !== 0) cannot(`rank ${rank} does not divide the ${filters} filters`);
  if (featureSize !== inputSize || timeFilters !== filters || memory < 1)
    cannot(`the weights [${filters}, ${featureSize}] and [${timeFilters}, ${memory}] do not fit input features ${inputSize}`);
  const units = filters / rank;
  const integer = ctx.facts(INPUT).dtype === 'int8';
  const stateQ = ctx.facts(STATE).quantization;
  const timeQ = ctx.facts(TIME).quantization;
  if (integer && (!stateQ || !timeQ || ctx.facts(STATE).dtype !== 'int16'))
    cannot('the integer SVDF needs a quantized int16 state and quantized time weights');
  if (!integer && ctx.facts(FEATURE).dtype !== 'float32') cannot('hybrid SVDF (float input, quantized weights) is not supported');

  // feature filter; the integer op stores it on the state's int16 grid
  const features = em.op('Gemm', [ctx.input(INPUT), ctx.input(FEATURE)], { transB: 1 }, `${base}_features`);
  const activation = ctx.requantize(STATE, features);
  const state = em.op('Reshape', [ctx.input(STATE), em.int64([batch, filters, memory])], {}, `${base}_state`);
  const newest = em.op('Unsqueeze', [activation, em.int64([2])], {}, `${base}_newest`);
  const kept = memory > 1 ? [em.op('Slice', [state, em.int64([0]), em.int64([memory - 1]), em.int64([2])], {}, `${base}_kept`)] : [];
  const window = em.op('Concat', [...kept, newest], { axis: 2 }, `${base}_window`);

  // time filter, then the sum over each unit's `rank` filters
  const weighted = em.op('Mul', [window, ctx.input(TIME)], {}, `${base}_weighted`);
  const perFilter = em.op('ReduceSum', [weighted, em.int64([2])], { keepdims: 0 }, `${base}_filters`);
  const grouped = em.op('Reshape', [perFilter, em.int64([batch, units, rank])], {}, `${base}_grouped`);
  let y = em.op('ReduceSum', [grouped, em.int64([2])], { keepdims: 0 }, `${base}_units`);
  if (ctx.has(BIAS))
    y = em.op(
      'Add',
      [y, integer ? integerBias(ctx, (stateQ?.scale[0] ?? 1) * (timeQ?.scale[0] ?? 1)) : ctx.input(BIAS)],
      {},
      `${base}_bias`,
    );
  ctx.setOutput(0, integer ? y : fusedActivation(em, y, ctx.attr('fused_activation_function', 0), base));

  if (ctx.stateExposed) {
    const zeros = em.constant(`${base}_empty`, 'float32', [batch, filters, 1], new Uint8Array(batch * filters * 4));
    const older = memory > 1 ? [em.op('Slice', [window, em.int64([1]), em.int64([memory]), em.int64([2])], {}, `${base}_older`)] : [];
    const shifted = em.op('Concat', [...older, zeros], { axis: 2 }, `${base}_shifted`);
    ctx.setState(STATE, em.op('Reshape', [shifted, em.int64([batch, filters * memory])], {}, `${base}_next`));
  }
}

/** The integer kernel adds the raw int32 bias to sums in units of `unit` (state scale × time scale). */
function integerBias(ctx: OpContext, unit: number): Value {
  const { em, base } = ctx;
  if (ctx.facts(BIAS).dtype !== 'int32') cannot('the integer SVDF needs an int32 bias');
  const raw = em.op('Cast', [ctx.raw(BIAS)], { to: 1 }, `${base}_bias_f`);
  return em.op('Mul', [raw, em.float32([unit], [])], {}, `${base}_bias_real`);
}

/** Converter for the SVDF op. */
export const SVDF_OPS: Record<string, (ctx: OpContext) => void> = { SVDF: svdf };
