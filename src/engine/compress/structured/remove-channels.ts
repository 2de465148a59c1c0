import { intAttr, setAttribute } from '../../passes/util/attributes';
import type { ChannelGroup } from './channel-groups';
import { cutTensor } from './take-along-axis';

/**
 * Removes every channel of `group` not in `keep` (channel indices, in order): cuts the layer's
 * filters and bias, the per-channel parameters on the way, the readers' weights, sets depthwise
 * `group`s and the declared shapes of the values carrying the channels.
 */
export function removeChannels(group: ChannelGroup, keep: readonly number[]): void {
  for (const c of group.cuts) cutTensor(c.tensor, { axis: c.axis, keep, block: c.block }, c.stored);
  for (const node of group.depthwise) setAttribute(node, 'group', intAttr(keep.length));
  for (const { value, block } of group.values) {
    const type = value.type;
    if (type?.kind !== 'tensor' || !type.shape || type.shape.length < 2) continue;
    if (value.typeInferred) {
      value.setInferredType(undefined);
      continue;
    }
    const shape = type.shape.map((d, i) => (i === 1 && typeof d === 'number' ? keep.length * block : d));
    value.type = { ...type, shape };
  }
}
