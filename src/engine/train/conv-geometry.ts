import { LitheError } from '../errors';
import type { Node } from '../ir/node';
import type { Dim } from '../ir/shape';
import type { Value } from '../ir/value';
import { intAttr, intsAttr } from '../passes/util/attributes';
import type { Attributes, Emitter } from './emitter';
import type { BackwardContext } from './rule';

/** Window geometry of a convolution or pooling node with explicit pads. */
export interface ConvGeometry {
  spatial: number;
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Begin pads then end pads, one per spatial axis. */
  pads: number[];
  group: number;
}

/**
 * The geometry of a Conv/ConvTranspose/pooling node, with `auto_pad` resolved to explicit pads
 * (which needs the spatial sizes of `input`, and of the output for ConvTranspose's `output_shape`).
 */
export function convGeometry(node: Node, kernel: number[], inputDims: readonly Dim[] | undefined, transposed = false): ConvGeometry {
  const spatial = kernel.length;
  const strides = node.ints('strides') ?? new Array<number>(spatial).fill(1);
  const dilations = node.ints('dilations') ?? new Array<number>(spatial).fill(1);
  const autoPad = node.string('auto_pad', 'NOTSET');
  let pads = node.ints('pads') ?? new Array<number>(2 * spatial).fill(0);
  if (autoPad === 'VALID') pads = new Array<number>(2 * spatial).fill(0);
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const sizes = inputDims?.slice(2);
    if (!sizes?.every((d): d is number => typeof d === 'number'))
      throw new LitheError('unsupported', `auto_pad ${autoPad} needs the input's spatial sizes, which are not known`);
    const begin: number[] = [];
    const end: number[] = [];
    sizes.forEach((size, i) => {
      const effective = (kernel[i]! - 1) * dilations[i]! + 1;
      const s = strides[i]!;
      const total = transposed
        ? Math.max(0, s * (size - 1) + (node.ints('output_padding')?.[i] ?? 0) + effective - size * s)
        : Math.max(0, (Math.ceil(size / s) - 1) * s + effective - size);
      const small = Math.floor(total / 2);
      const upper = transposed ? autoPad === 'SAME_LOWER' : autoPad === 'SAME_UPPER';
      begin.push(upper ? small : total - small);
      end.push(upper ? total - small : small);
    });
    pads = [...begin, ...end];
  }
  return { spatial, kernel, strides, dilations, pads, group: node.int('group', 1) };
}

/** The geometry as Conv/ConvTranspose attributes (explicit pads). */
export function geometryAttributes(g: ConvGeometry): Attributes {
  return {
    strides: intsAttr(g.strides),
    dilations: intsAttr(g.dilations),
    pads: intsAttr(g.pads),
    group: intAttr(g.group),
  };
}

/**
 * The `output_padding` a transposed convolution needs to give back input sizes `sizes`: the
 * remainder `(size + pads − ((k−1)·d + 1)) mod s` a strided window leaves over.
 */
export function outputPaddingFor(g: ConvGeometry, sizes: readonly number[]): number[] {
  return sizes.map((size, i) => {
    const effective = (g.kernel[i]! - 1) * g.dilations[i]! + 1;
    return (size + g.pads[i]! + g.pads[i + g.spatial]! - effective) % g.strides[i]!;
  });
}

/** The static spatial sizes of `v` (axes 2…), when all are known. */
export function staticSpatial(e: Emitter, v: Value): number[] | undefined {
  const sizes = e.dims(v)?.slice(2);
  return sizes?.every((d): d is number => typeof d === 'number') ? sizes : undefined;
}

/** The spatial sizes of `v` (axes 2 … rank−1) as an int64 vector: a constant when static, else sliced from its shape. */
export function spatialShape(e: Emitter, v: Value, rank: number): Value {
  const known = staticSpatial(e, v);
  return known ? e.ints(known) : e.op('Slice', [e.shape(v), e.ints([2]), e.ints([rank])]);
}

/** The operands of a Conv/ConvTranspose backward: input, weight (with its static dims) and output gradient. */
export function convOperands(c: BackwardContext): { x: Value; w: Value; wDims: number[]; dy: Value } {
  const w = c.input(1);
  const wDims = c.e.staticDims(w);
  if (!wDims) throw c.refuse('its weight shape is not known');
  return { x: c.input(0), w, wDims, dy: c.gradOf(0) };
}

/** Output size along one spatial axis of a convolution. */
export function convOutputSize(size: number, g: ConvGeometry, axis: number): number {
  const effective = (g.kernel[axis]! - 1) * g.dilations[axis]! + 1;
  return Math.floor((size + g.pads[axis]! + g.pads[axis + g.spatial]! - effective) / g.strides[axis]!) + 1;
}

/**
 * Pads (or crops) the spatial axes of `x` at their end so it matches the spatial sizes of `like`:
 * a transposed convolution cannot tell which of `stride` input sizes a convolution came from.
 * Static sizes use ConvTranspose's `output_padding` instead; this is the run-time fallback.
 */
export function matchSpatialEnd(e: Emitter, x: Value, like: Value, rank: number): Value {
  const diff = e.sub(spatialShape(e, like, rank), spatialShape(e, x, rank));
  const pads = e.op('Concat', [e.ints(new Array<number>(rank + 2).fill(0)), diff], { axis: intAttr(0) });
  return e.op('Pad', [x, pads]);
}

/**
 * Gradient of a convolution's weight: `dW[co, ci, k] = Σ_n Σ_o dY[n, co, o] · Xpad[n, ci, o·s + k·d]`,
 * which is itself a convolution of the input (batch and channels swapped) with the output gradient
 * as kernel, strides and dilations exchanged. Groups ride along as the convolution's groups:
 *
 *   X [N, Ci, …] → [Ci/g, g·N, …];  dY [N, Co, …] → [Co, N, …]
 *   R = Conv(X', dY', group=g, strides=d, dilations=s, pads) → [Ci/g, Co, k′…] → slice to k → [Co, Ci/g, k…]
 */
export function convWeightGrad(e: Emitter, input: Value, outGrad: Value, g: ConvGeometry, like: { input: Value; output: Value }): Value {
  const rank = g.spatial + 2;
  const swap = [1, 0, ...Array.from({ length: g.spatial }, (_, i) => i + 2)];
  let x: Value;
  if (g.group === 1) x = e.transpose(input, swap);
  else {
    const dims = e.dims(like.input);
    const channels = dims?.[1];
    if (typeof channels !== 'number') throw new LitheError('unsupported', 'a grouped convolution needs its input channel count');
    const restShape = spatialShape(e, input, rank);
    const split = e.op('Concat', [e.ints([-1, g.group, channels / g.group]), restShape], { axis: intAttr(0) });
    const grouped = e.transpose(e.op('Reshape', [input, split]), [2, 1, 0, ...Array.from({ length: g.spatial }, (_, i) => i + 3)]);
    x = e.op('Reshape', [grouped, e.op('Concat', [e.ints([channels / g.group, -1]), restShape], { axis: intAttr(0) })]);
  }
  const kernel = e.transpose(outGrad, swap);
  const r = e.op('Conv', [x, kernel], {
    strides: intsAttr(g.dilations),
    dilations: intsAttr(g.strides),
    pads: intsAttr(g.pads),
    group: intAttr(g.group),
  });
  const sliced = e.op('Slice', [r, e.ints(new Array<number>(g.spatial).fill(0)), e.ints(g.kernel), e.ints(swap.slice(2))]);
  return e.transpose(sliced, swap);
}

/** Σ over batch and spatial axes: the gradient of a per-channel bias. */
export function biasGrad(e: Emitter, dy: Value, rank: number): Value {
  return e.reduceSum(dy, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)], false);
}
