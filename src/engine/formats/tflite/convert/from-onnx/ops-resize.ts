// Resize of the two spatial axes of an NCHW tensor, as TFLite's RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR
// in NHWC. Only the ONNX coordinate modes that compute the same source pixels as TFLite's flags are accepted.
// A 3-D NCL tensor (audio, sequences) is resized along L as an image one pixel high:
//   x[N, C, L] → (held as [N, L, C]) → [N, 1, L, C] → RESIZE → [N, 1, L', C] → y[N, C, L'] (held as [N, L', C])
import { cannot } from '../op-context';
import type { OnnxOpContext } from './context';

const NHWC = [0, 2, 3, 1];
const NLC = [0, 2, 1];

/**
 * Nearest-neighbour modes TFLite computes the same way: asymmetric + floor (no flags), TensorFlow's
 * half-pixel + floor, align_corners + round half up; half_pixel with rounding, which equals TFLite's
 * half-pixel centers when each axis is enlarged by a whole factor (no ties can occur then).
 */
function nearestFlags(
  transform: string,
  nearest: string,
  wholeFactors: boolean,
): { align_corners: boolean; half_pixel_centers: boolean } | undefined {
  if (transform === 'asymmetric' && nearest === 'floor') return { align_corners: false, half_pixel_centers: false };
  if (transform === 'tf_half_pixel_for_nn' && nearest === 'floor') return { align_corners: false, half_pixel_centers: true };
  if (transform === 'align_corners' && nearest === 'round_prefer_ceil') return { align_corners: true, half_pixel_centers: false };
  const rounding = nearest === 'round_prefer_floor' || nearest === 'round_prefer_ceil';
  if ((transform === 'half_pixel' || transform === 'pytorch_half_pixel') && rounding && wholeFactors)
    return { align_corners: false, half_pixel_centers: true };
  return undefined;
}

function resize(ctx: OnnxOpContext): void {
  const { node } = ctx;
  const sequence = ctx.shape(0).length === 3;
  // a 3-D NCL tensor is an NCHW image one pixel high
  const asImage = (shape: number[]): number[] => (sequence ? [shape[0] ?? 1, shape[1] ?? 1, 1, shape[2] ?? 1] : shape);
  const inShape = asImage(ctx.shape(0));
  const outShape = asImage(ctx.outShape(0));
  if (inShape.length !== 4) cannot('only 3-D (NCL) and 4-D (NCHW) resizing is supported');
  const [n = 1, c = 1, h = 1, w = 1] = inShape;
  const [outN, outC, outH = 1, outW = 1] = outShape;
  if (outN !== n || outC !== c)
    cannot(sequence ? 'only the last axis (L) can be resized' : 'only the two spatial axes (H, W) can be resized');
  if (node.int('antialias', 0)) cannot('antialiased resizing has no TFLite equivalent');
  const mode = node.string('mode', 'nearest');
  // opset 10 and Upsample had only asymmetric coordinates
  const transform = ctx.opset < 11 ? 'asymmetric' : node.string('coordinate_transformation_mode', 'half_pixel');
  // before opset 11, nearest rounds down when enlarging (and up when shrinking, which TFLite does not do)
  if (ctx.opset < 11 && mode === 'nearest' && (outH < h || outW < w))
    cannot('nearest shrinking in opset 10 rounds up, which TFLite does not do');
  const nearest = ctx.opset < 11 ? 'floor' : node.string('nearest_mode', 'round_prefer_floor');
  const size = ctx.em.int32([outH, outW]);
  const x = sequence ? ctx.reshape(ctx.inputIn(0, NLC), [n, 1, w, c]) : ctx.inputIn(0, NHWC);
  // The resized image is written first; a sequence's output is its reshape, after it.
  const emit = (
    op: 'RESIZE_BILINEAR' | 'RESIZE_NEAREST_NEIGHBOR',
    flags: { align_corners: boolean; half_pixel_centers: boolean },
  ): void => {
    if (!sequence) {
      ctx.em.op(op, [x, size], ctx.output(0, NHWC), flags);
      return;
    }
    const image = ctx.em.op(op, [x, size], ctx.em.value(`${ctx.base}_image`, [n, 1, outW, c]), flags);
    ctx.alias(0, ctx.reshape(image, [n, outW, c]), NLC);
  };

  if (mode === 'linear' || mode === 'bilinear') {
    const halfPixel = transform === 'half_pixel' || (transform === 'pytorch_half_pixel' && outH > 1 && outW > 1);
    if (!halfPixel && transform !== 'align_corners' && transform !== 'asymmetric')
      cannot(`linear resizing with '${transform}' coordinates has no TFLite equivalent`);
    emit('RESIZE_BILINEAR', { align_corners: transform === 'align_corners', half_pixel_centers: halfPixel });
    return;
  }
  if (mode !== 'nearest') cannot(`resize mode '${mode}' has no TFLite equivalent`);
  const wholeFactors = outH % h === 0 && outW % w === 0;
  const flags =
    nearestFlags(transform, nearest, wholeFactors) ??
    cannot(`nearest resizing with '${transform}' / '${nearest}' has no exact TFLite equivalent`);
  emit('RESIZE_NEAREST_NEIGHBOR', flags);
}

/** Converters for resizing. */
export const RESIZE_CONVERTERS = { Resize: resize, Upsample: resize };
