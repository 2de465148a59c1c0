import type { Node } from '../../ir/node';
import { setAttribute, stringAttr } from './attributes';
import type { Adapter } from './opset-adapters';
import { constantInput, constantOf, refuse, setInput } from './opset-edit';
import { floatTensor, tensorNumbers } from './constants';

const floatsOf = (node: Node, name: string): number[] | undefined => {
  const a = node.attribute(name);
  return a?.value.kind === 'floats' ? a.value.value : undefined;
};

/** Opset 7: Upsample's experimental `width_scale`/`height_scale` became `scales`. */
export const upsampleScalesAttribute: Adapter = (c) => {
  if (!floatsOf(c.node, 'scales')) refuse(c, 'the experimental opset-1 Upsample (width_scale/height_scale) is not supported');
};

/** Opset 9: Upsample's `scales` attribute became an input. */
export const upsampleScalesInput: Adapter = (c) => {
  const scales = floatsOf(c.node, 'scales');
  if (!scales) return;
  c.node.attributes = c.node.attributes.filter((a) => a.name !== 'scales');
  setInput(
    c.node,
    1,
    constantInput(c, 'scales', (n) => floatTensor(n, [scales.length], scales)),
  );
};

/** Opset 10: Upsample was replaced by Resize, which computes the same (version 10). */
export const upsampleToResize: Adapter = (c) => {
  c.node.opType = 'Resize';
};

/**
 * Opset 11: Resize gained `roi`/`sizes` inputs and a coordinate mode. Version 10 sampled
 * "asymmetric" coordinates, picking the lower neighbour when enlarging and the upper one when
 * shrinking; the adapter states that explicitly.
 */
export const resizeCoordinates: Adapter = (c) => {
  const { node } = c;
  const scales = constantOf(c, node.inputs[1]);
  const values = scales ? tensorNumbers(scales) : undefined;
  if (node.string('mode', 'nearest') === 'nearest') {
    if (!values) refuse(c, 'nearest resizing with scales computed at run time');
    const up = values.every((s) => s >= 1);
    if (!up && !values.every((s) => s <= 1)) refuse(c, 'nearest resizing that enlarges some axes and shrinks others');
    setAttribute(node, 'nearest_mode', stringAttr(up ? 'floor' : 'ceil'));
  }
  setAttribute(node, 'coordinate_transformation_mode', stringAttr('asymmetric'));
  const roi = c.target >= 13 ? undefined : constantInput(c, 'roi', (n) => floatTensor(n, [0], []));
  node.inputs = [node.inputs[0], roi, node.inputs[1]];
};
