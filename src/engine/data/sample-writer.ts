import type { InputLayout } from './input-layout';
import { sampleSize } from './input-layout';
import { normalizePixel, type Normalization } from './normalize';

/**
 * Writes one sample's values into a batch buffer in the model's layout: reorders channels-last data
 * for NCHW inputs and normalizes 8-bit pixels when a normalization applies.
 */
export function writeSample(
  target: Float32Array,
  offset: number,
  values: ArrayLike<number>,
  layout: InputLayout,
  normalization: Normalization | undefined,
  channelsLast: boolean,
): void {
  const size = sampleSize(layout);
  const plane = layout.height * layout.width;
  const channels = layout.kind === 'NCHW' || layout.kind === 'NHWC' ? layout.channels : 1;
  const reorder = channelsLast && layout.kind === 'NCHW' && channels > 1;
  for (let i = 0; i < size; i++) {
    // i indexes the model layout; find the source element and its channel.
    let source = i;
    let channel = 0;
    if (layout.kind === 'NCHW') {
      channel = Math.floor(i / plane);
      if (reorder) source = (i % plane) * channels + channel;
    } else if (layout.kind === 'NHWC') {
      channel = i % channels;
    }
    const value = values[source] ?? 0;
    target[offset + i] = normalization ? normalizePixel(value, channel, normalization) : value;
  }
}
