/**
 * Image augmentation applied to each training batch, in place (NCHW, NHWC or NHW layouts):
 *
 *   flip:  mirror left–right with probability ½
 *   shift: translate by up to ±s pixels in each direction (zeros come in)
 *   crop:  take a random crop of at least (1 − c) of each side and stretch it back (nearest neighbour)
 */
import type { AugmentOptions } from '../../contract/train';
import type { InputLayout } from '../data/input-layout';

/** True when the options change anything. */
export function augments(options: AugmentOptions | undefined): boolean {
  return Boolean(options && (options.flip || options.shift > 0 || options.crop > 0));
}

/** Augments `count` images of `layout` stored one after the other in `data`. */
export function augmentBatch(data: Float32Array, count: number, layout: InputLayout, options: AugmentOptions, random: () => number): void {
  if (layout.kind === 'flat' || !augments(options)) return;
  const { height: h, width: w } = layout;
  const channels = layout.kind === 'NHW' ? 1 : layout.channels;
  const size = h * w * channels;
  const source = new Float32Array(size);
  // Element index of (channel, row, column) in one image.
  const at =
    layout.kind === 'NHWC'
      ? (c: number, y: number, x: number): number => (y * w + x) * channels + c
      : (c: number, y: number, x: number): number => (c * h + y) * w + x;
  for (let n = 0; n < count; n++) {
    const image = data.subarray(n * size, (n + 1) * size);
    source.set(image);
    const flip = options.flip && random() < 0.5;
    const dy = options.shift ? Math.round((random() * 2 - 1) * options.shift) : 0;
    const dx = options.shift ? Math.round((random() * 2 - 1) * options.shift) : 0;
    const keepH = options.crop ? 1 - random() * options.crop : 1;
    const keepW = options.crop ? 1 - random() * options.crop : 1;
    const top = (1 - keepH) * h * random();
    const left = (1 - keepW) * w * random();
    for (let y = 0; y < h; y++) {
      const sy = Math.floor(top + (y - dy) * keepH);
      for (let x = 0; x < w; x++) {
        const fx = flip ? w - 1 - x : x;
        const sx = Math.floor(left + (fx - dx) * keepW);
        const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
        for (let c = 0; c < channels; c++) image[at(c, y, x)] = inside ? source[at(c, sy, sx)]! : 0;
      }
    }
  }
}
