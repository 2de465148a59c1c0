import { Node } from '../../ir/node';
import { Tensor } from '../../ir/tensor';
import { intAttr, intsAttr, removeAttribute, setAttribute } from './attributes';
import { constantInput, constantOf, dataType, floatScalar, intsAttributeToInput, refuse, setInput, type AdaptContext } from './opset-edit';
import { newValue } from './graph-walk';
import { int64Tensor } from './constants';
import { rankOf } from './shapes';

/** Changes one node from the previous version of its operator to the version given to the table. */
export type Adapter = (c: AdaptContext) => void;

/** `consumed_inputs` (a legacy in-place hint) was removed in opset 6. */
export const dropConsumedInputs: Adapter = (c) => {
  removeAttribute(c.node, 'consumed_inputs');
};

/** Removes attributes a version dropped without changing what inference computes. */
export const dropAttributes =
  (...names: string[]): Adapter =>
  (c) => {
    for (const n of names) removeAttribute(c.node, n);
  };

/** Opset 7: binary operators lost `broadcast`/`axis` and broadcast like numpy. */
export const numpyBroadcast: Adapter = (c) => {
  const { node, graph } = c;
  const broadcast = node.int('broadcast', 0) === 1;
  const axisAttr = node.attribute('axis');
  const axis = node.int('axis', 0);
  removeAttribute(node, 'broadcast');
  removeAttribute(node, 'axis');
  if (!broadcast || !axisAttr) return; // same shapes, or suffix matching: numpy does the same
  const [a, b] = node.inputs;
  const rankA = rankOf(graph, a);
  const bConst = constantOf(c, b);
  const rankB = bConst ? bConst.dims.length : rankOf(graph, b);
  if (rankA === undefined || rankB === undefined)
    refuse(c, 'legacy broadcasting along an axis needs the ranks of both inputs, which are not declared');
  const start = axis < 0 ? axis + rankA : axis;
  const trailing = rankA - start - rankB;
  if (trailing <= 0) return;
  const ones: number[] = new Array<number>(trailing).fill(1);
  if (bConst) {
    const t = bConst;
    node.setInput(
      1,
      constantInput(
        c,
        'broadcast',
        (n) => new Tensor(n, t.dtype, [...t.dims, ...ones], { loadBytes: () => t.bytes(), byteLength: t.byteLength }),
      ),
    );
    return;
  }
  const axes = ones.map((_, i) => rankB + i);
  const out = newValue(graph, `${b?.name ?? 'b'}_unsqueezed`);
  const unsqueeze =
    c.target >= 13
      ? new Node('Unsqueeze', [b, constantInput(c, 'axes', (n) => int64Tensor(n, [axes.length], axes))], [out])
      : new Node('Unsqueeze', [b], [out], { attributes: [{ name: 'axes', value: intsAttr(axes) }] });
  graph.addNode(unsqueeze, { before: node });
  node.setInput(1, out);
};

/** Opset 6: Cast's `to` changed from a type name to a type code. */
export const castToCode: Adapter = (c) => {
  const a = c.node.attribute('to');
  if (a?.value.kind !== 'string') return;
  const names = [
    'UNDEFINED',
    'FLOAT',
    'UINT8',
    'INT8',
    'UINT16',
    'INT16',
    'INT32',
    'INT64',
    'STRING',
    'BOOL',
    'FLOAT16',
    'DOUBLE',
    'UINT32',
    'UINT64',
  ];
  const code = names.indexOf(new TextDecoder().decode(a.value.value).toUpperCase());
  if (code <= 0) refuse(c, 'unknown legacy Cast type name');
  setAttribute(c.node, 'to', intAttr(code));
};

/** Opset 11: Clip's `min`/`max` attributes became inputs. */
export const clipBoundsToInputs: Adapter = (c) => {
  const { node } = c;
  const min = node.attribute('min');
  const max = node.attribute('max');
  removeAttribute(node, 'min');
  removeAttribute(node, 'max');
  const dtype = dataType(c);
  node.inputs = [node.inputs[0]];
  if (min) setInput(node, 1, floatScalar(c, 'min', dtype, min.value.kind === 'float' ? min.value.value : -Infinity));
  if (max) setInput(node, 2, floatScalar(c, 'max', dtype, max.value.kind === 'float' ? max.value.value : Infinity));
};

/** Opset 4: Concat's `axis` became required (it defaulted to 1). */
export const concatAxis: Adapter = (c) => {
  if (!c.node.attribute('axis')) setAttribute(c.node, 'axis', intAttr(1));
};

/** Opset 5: Reshape's `shape` attribute became an input. */
export const reshapeShapeInput: Adapter = (c) => {
  if (!intsAttributeToInput(c, 'shape', 1) && !c.node.inputs[1]) refuse(c, 'it has no shape');
};

/** Opset 7: Dropout and BatchNormalization lost `is_test` (inference is the only mode). */
export const dropIsTest: Adapter = dropAttributes('is_test');

/** Opset 12: Dropout's `ratio` became an input. */
export const dropoutRatioInput: Adapter = (c) => {
  const ratio = c.node.attribute('ratio');
  removeAttribute(c.node, 'ratio');
  if (ratio?.value.kind === 'float') setInput(c.node, 1, floatScalar(c, 'ratio', 'float32', ratio.value.value));
};

/** Opset 9: BatchNormalization lost `spatial` (only spatial=1 remains); unused statistics outputs are dropped. */
export const batchNormSpatial: Adapter = (c) => {
  if (c.node.int('spatial', 1) !== 1) refuse(c, 'spatial=0 batch normalization has no equivalent in later opsets');
  removeAttribute(c.node, 'spatial');
  if (c.node.outputs.slice(1).some((o) => o && c.graph.useCount(o) > 0)) refuse(c, 'it uses the training-mode statistics outputs');
  c.node.outputs = c.node.outputs.slice(0, 1);
};

/** Opset 2: Pad's `paddings` was renamed `pads`. */
export const padRename: Adapter = (c) => {
  const p = c.node.ints('paddings');
  removeAttribute(c.node, 'paddings');
  if (p) setAttribute(c.node, 'pads', intsAttr(p));
};

/** Opset 11: Pad's `pads` and `value` became inputs. */
export const padInputs: Adapter = (c) => {
  const value = c.node.attribute('value');
  intsAttributeToInput(c, 'pads', 1);
  removeAttribute(c.node, 'value');
  if (value?.value.kind === 'float' && value.value.value !== 0)
    setInput(c.node, 2, floatScalar(c, 'value', dataType(c), value.value.value));
};

/** Opset 10: Slice's `starts`/`ends`/`axes` became inputs. */
export const sliceInputs: Adapter = (c) => {
  intsAttributeToInput(c, 'starts', 1);
  intsAttributeToInput(c, 'ends', 2);
  intsAttributeToInput(c, 'axes', 3);
};

/** Opset 10: TopK's `k` became an input. */
export const topKInput: Adapter = (c) => {
  const k = c.node.int('k', -1);
  removeAttribute(c.node, 'k');
  c.node.setInput(
    1,
    constantInput(c, 'k', (n) => int64Tensor(n, [1], [k])),
  );
};

/** Moves the `axes` attribute to input 1 (Squeeze/Unsqueeze 13, ReduceSum 13, other reductions 18). */
export const axesInput: Adapter = (c) => {
  intsAttributeToInput(c, 'axes', 1);
};

/** Opset 13: Split's `split` attribute became an input. */
export const splitInput: Adapter = (c) => {
  intsAttributeToInput(c, 'split', 1);
};

/** Opset 18: Split without sizes must say how many parts it makes. */
export const splitNumOutputs: Adapter = (c) => {
  if (!c.node.inputs[1]) setAttribute(c.node, 'num_outputs', intAttr(c.node.outputs.length));
};

/** Opset 2: Split's sizes moved from an optional second input to the `split` attribute. */
export const splitSizesAttribute: Adapter = (c) => {
  if (c.node.inputs.length < 2 || !c.node.inputs[1]) return;
  const t = constantOf(c, c.node.inputs[1]);
  if (!t) refuse(c, 'its split sizes are not constant');
  setAttribute(c.node, 'split', intsAttr(Array.from(t.toTypedArray() as ArrayLike<number | bigint>, (x) => Number(x))));
  c.node.inputs = c.node.inputs.slice(0, 1);
};

/**
 * Opset 13: Softmax-like operators used to flatten the input to 2-D at `axis` (default 1) and
 * normalize over everything after it; now they work along one axis (default −1). Equivalent
 * when `axis` is the last axis; otherwise the old behaviour is rebuilt with Flatten and Reshape.
 */
export const softmaxAxis: Adapter = (c) => {
  const { node, graph } = c;
  const axis = node.int('axis', 1);
  const rank = rankOf(graph, node.inputs[0]);
  if (rank !== undefined && (axis === rank - 1 || axis === -1)) {
    setAttribute(node, 'axis', intAttr(rank - 1));
    return;
  }
  if (axis < 0) refuse(c, 'a negative axis on an input of unknown rank');
  const x = node.inputs[0];
  const y = node.outputs[0];
  const shape = newValue(graph, `${x?.name ?? 'x'}_shape`);
  const flat = newValue(graph, `${x?.name ?? 'x'}_flat`);
  const soft = newValue(graph, `${y?.name ?? 'y'}_flat`);
  graph.addNodes(
    [new Node('Shape', [x], [shape]), new Node('Flatten', [x], [flat], { attributes: [{ name: 'axis', value: intAttr(axis) }] })],
    {
      before: node,
    },
  );
  node.inputs = [flat];
  node.outputs = [soft];
  setAttribute(node, 'axis', intAttr(1));
  graph.addNode(new Node('Reshape', [soft, shape], [y]), { after: node });
};
