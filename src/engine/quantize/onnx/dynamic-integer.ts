import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import { quantizeWeights } from '../quant-math';
import { addConstant, addValue, floatData, intAttr, makeNode } from './graph-edit';
import { transposeMatrix } from './transpose-matrix';

/** A weight laid out for the integer kernel: values, per-channel scales, and one zero point (symmetric). */
interface IntegerWeight {
  values: Int8Array | Uint8Array;
  dims: number[];
  scales: Float32Array;
  zeroDims: number[];
  zero: Int8Array | Uint8Array;
}

/**
 * Replaces a MatMul/Gemm (constant weight) or Conv with DynamicQuantizeLinear on its input, the
 * integer kernel (MatMulInteger / ConvInteger) with int8 per-channel weights, and a float rescale
 * (and bias add). Returns the new nodes, or undefined when the node's form is not supported.
 */
export function dynamicIntegerNodes(graph: Graph, node: Node, perChannel: boolean): Node[] | undefined {
  const [input, weight, bias] = node.inputs;
  const output = node.outputs[0];
  const w = floatData(weight);
  const t = weight?.initializer;
  if (!input || !weight || !w || !t || !output) return undefined;
  let layout: IntegerWeight;
  let scaleShape: number[];
  if (node.opType === 'MatMul' || node.opType === 'Gemm') {
    const [rows, cols] = t.dims;
    if (rows === undefined || cols === undefined || t.dims.length !== 2) return undefined;
    if (node.opType === 'Gemm' && (node.int('transA', 0) || node.float('alpha', 1) !== 1 || node.float('beta', 1) !== 1)) return undefined;
    const transposed = node.opType === 'Gemm' && node.int('transB', 0) === 1;
    const [k, n] = transposed ? [cols, rows] : [rows, cols];
    const kn = transposed ? transposeMatrix(w, n, k) : w;
    const q = quantizeWeights(kn, [k, n], perChannel ? 1 : undefined);
    layout = { values: q.values, dims: [k, n], scales: q.scales, zeroDims: [], zero: new Int8Array(1) };
    scaleShape = q.scales.length > 1 ? [n] : [];
  } else if (node.opType === 'Conv') {
    const q = quantizeWeights(w, t.dims, perChannel ? 0 : undefined);
    // onnxruntime's ConvInteger takes uint8 weights with one zero point: symmetric values shifted by 128
    // share the zero point 128 while the scales stay per channel (applied in the float rescale).
    const shifted = Uint8Array.from(q.values, (v) => v + 128);
    layout = { values: shifted, dims: [...t.dims], scales: q.scales, zeroDims: [], zero: new Uint8Array([128]) };
    scaleShape = q.scales.length > 1 ? [1, q.scales.length, ...t.dims.slice(2).map(() => 1)] : [];
  } else {
    return undefined;
  }
  const base = node.name || output.name;
  const xq = addValue(graph, `${input.name}_quantized`, 'uint8');
  const xs = addValue(graph, `${input.name}_scale`, 'float32', []);
  const xz = addValue(graph, `${input.name}_zero_point`, 'uint8', []);
  const wq = addConstant(
    graph,
    `${weight.name}_quantized`,
    layout.values instanceof Int8Array ? 'int8' : 'uint8',
    layout.dims,
    layout.values,
  );
  const wz = addConstant(
    graph,
    `${weight.name}_zero_point`,
    layout.zero instanceof Int8Array ? 'int8' : 'uint8',
    layout.zeroDims,
    layout.zero,
  );
  const ws = addConstant(graph, `${weight.name}_scale`, 'float32', scaleShape, layout.scales);
  const acc = addValue(graph, `${base}_int32`, 'int32');
  const accF = addValue(graph, `${base}_int32_float`, 'float32');
  const scale = addValue(graph, `${base}_scale`, 'float32');
  const nodes: Node[] = [makeNode('DynamicQuantizeLinear', [input], [xq, xs, xz], `${base}_DynamicQuantizeLinear`)];
  if (node.opType === 'Conv') {
    nodes.push(
      makeNode(
        'ConvInteger',
        [xq, wq, xz, wz],
        [acc],
        `${base}_ConvInteger`,
        node.attributes.filter((a) => a.name !== 'activation'),
      ),
    );
  } else {
    nodes.push(makeNode('MatMulInteger', [xq, wq, xz, wz], [acc], `${base}_MatMulInteger`));
  }
  nodes.push(makeNode('Cast', [acc], [accF], `${base}_Cast`, [intAttr('to', 1)]));
  nodes.push(makeNode('Mul', [xs, ws], [scale], `${base}_ScaleMul`));
  const biasData = floatData(bias);
  const biasValue = bias && biasData ? biasFor(graph, node, bias, biasData, t.dims.length) : undefined;
  const scaled = biasValue ? addValue(graph, `${base}_scaled`, 'float32') : output;
  nodes.push(makeNode('Mul', [accF, scale], [scaled], `${base}_Rescale`));
  if (biasValue) nodes.push(makeNode('Add', [scaled, biasValue], [output], `${base}_BiasAdd`));
  return nodes;
}

/** The bias as the rescaled output wants it: Conv's 1-D bias [M] broadcast as [1, M, 1, …] to the weight's rank. */
function biasFor(graph: Graph, node: Node, bias: Value, data: Float32Array, rank: number): Value {
  if (node.opType !== 'Conv') return bias;
  return addConstant(graph, `${bias.name}_broadcast`, 'float32', [1, data.length, ...Array.from({ length: rank - 2 }, () => 1)], data);
}
