// Resize of the two spatial axes of an NCHW tensor, as TFLite's RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR
// in NHWC. Only the ONNX coordinate modes that compute the same source pixels as TFLite's flags are accepted.
import { cannot } from '../op-context';
import type { OnnxOpContext } from './context';

const NHWC = [0, 2, 3, 1];

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
  const inShape = ctx.shape(0);
  const outShape = ctx.outShape(0);
  if (inShape.length !== 4) cannot('only 4-D (NCHW) resizing is supported');
  const [n, c, h = 1, w = 1] = inShape;
  const [outN, outC, outH = 1, outW = 1] = outShape;
  if (outN !== n || outC !== c) cannot('only the two spatial axes (H, W) can be resized');
  if (node.int('antialias', 0)) cannot('antialiased resizing has no TFLite equivalent');
  const mode = node.string('mode', 'nearest');
  // opset 10 and Upsample had only asymmetric coordinates
  const transform = ctx.opset < 11 ? 'asymmetric' : node.string('coordinate_transformation_mode', 'half_pixel');
  // before opset 11, nearest rounds down when enlarging (and up when shrinking, which TFLite does not do)
  if (ctx.opset < 11 && mode === 'nearest' && (outH < h || outW < w))
    cannot('nearest shrinking in opset 10 rounds up, which TFLite does not do');
  const nearest = ctx.opset < 11 ? 'floor' : node.string('nearest_mode', 'round_prefer_floor');
  const size = ctx.em.int32([outH, outW]);
  const x = ctx.inputIn(0, NHWC);
  const out = (): ReturnType<OnnxOpContext['output']> => ctx.output(0, NHWC);
  if (mode === 'linear' || mode === 'bilinear') {
    const halfPixel = transform === 'half_pixel' || (transform === 'pytorch_half_pixel' && outH > 1 && outW > 1);
    if (!halfPixel && transform !== 'align_corners' && transform !== 'asymmetric')
      cannot(`linear resizing with '${transform}' coordinates has no TFLite equivalent`);
    ctx.em.op('RESIZE_BILINEAR', [x, size], out(), { align_corners: transform === 'align_corners', half_pixel_centers: halfPixel });
    return;
  }
  if (mode !== 'nearest') cannot(`resize mode '${mode}' has no TFLite equivalent`);
  const wholeFactors = outH % h === 0 && outW % w === 0;
  const flags =
    nearestFlags(transform, nearest, wholeFactors) ??
    cannot(`nearest resizing with '${transform}' / '${nearest}' has no exact TFLite equivalent`);
  ctx.em.op('RESIZE_NEAREST_NEIGHBOR', [x, size], out(), flags);
}

/** Converters for resizing. */
export const RESIZE_CONVERTERS = { Resize: resize, Upsample: resize };
