// uint8 quantized activations → int8 ones with the same real values, so that TFLite's int8 kernels take them
// (most ONNX quantized models are "U8S8": uint8 activations, int8 weights; TFLite's int8 convolution wants int8
// data, and its uint8 kernels int8 weights never):
//   q' = q − 128,  zero point z' = z − 128  ⇒  s·(q' − z') = s·(q − z)       (same real values, same rounding:
//   QuantizeLinear's saturation to [0, 255] becomes [−128, 127], and every integer sum Σ(q − z)·w is unchanged)
// Done only where every uint8 activation is made and read by operators this holds for: QuantizeLinear,
// DequantizeLinear, QLinearConv, QLinearMatMul, QLinearAdd/QLinearMul (com.microsoft) at their quantized
// positions, and data movers (MaxPool, Reshape, Transpose, Concat, …: a shift commutes with max and moves).
// A uint8 graph input or output (the model's interface) or any other reader leaves the model as it was.
import type { Graph } from '../../../../ir/graph';
import type { Node } from '../../../../ir/node';
import { Tensor } from '../../../../ir/tensor';
import type { Value } from '../../../../ir/value';

const MICROSOFT = 'com.microsoft';

// the positions of quantized data and zero points, by operator
const QUANTIZED_POSITIONS: Record<string, readonly number[]> = {
  QuantizeLinear: [2],
  DequantizeLinear: [0, 2],
  QLinearConv: [0, 2, 3, 5, 7],
  QLinearMatMul: [0, 2, 3, 5, 7],
  'ms:QLinearAdd': [0, 2, 3, 5, 7],
  'ms:QLinearMul': [0, 2, 3, 5, 7],
};
// operators that move or pick values (their first input; Concat: every input), through which the shift passes
const MOVERS = new Set(['MaxPool', 'Reshape', 'Transpose', 'Concat', 'Split', 'Squeeze', 'Unsqueeze', 'Flatten', 'Slice', 'Identity']);

// whether the zero point at input position `at` belongs to shifted data (its own data input, or the output)
type ZeroPointOf = (node: Node, at: number, shifted: ReadonlySet<Value>) => boolean;
const qlinearZeroPoint: ZeroPointOf = (node, at, shifted) => {
  const data = at === 2 ? node.inputs[0] : at === 5 ? node.inputs[3] : at === 7 ? node.outputs[0] : undefined;
  return data !== undefined && shifted.has(data);
};
const ZERO_POINT_OF: Record<string, ZeroPointOf> = {
  QuantizeLinear: (node, at, shifted) => at === 2 && shifted.has(node.outputs[0]!),
  DequantizeLinear: (node, at, shifted) => at === 2 && shifted.has(node.inputs[0]!),
  QLinearConv: qlinearZeroPoint,
  QLinearMatMul: qlinearZeroPoint,
  'ms:QLinearAdd': qlinearZeroPoint,
  'ms:QLinearMul': qlinearZeroPoint,
};

function opOf(node: Node): string {
  if (node.domain === '' || node.domain === 'ai.onnx') return node.opType;
  return node.domain === MICROSOFT ? `ms:${node.opType}` : '';
}

const isUint8 = (v: Value | undefined): boolean => v?.type?.kind === 'tensor' && v.type.dtype === 'uint8';

/**
 * The uint8 values nodes of `graph` compute: typed so, or (where shape inference cannot tell, as for the com.microsoft
 * operators) made by a quantizing operator with a uint8 output zero point, or moved from such a value.
 */
function uint8Activations(graph: Graph): Value[] {
  const found = new Set<Value>();
  for (const node of graph.topologicalOrder().order ?? graph.nodes) {
    const op = opOf(node);
    const zeroAt = op === 'QuantizeLinear' ? 2 : QUANTIZED_POSITIONS[op]?.includes(7) ? 7 : undefined;
    const zero = zeroAt === undefined ? undefined : node.inputs[zeroAt]?.initializer;
    const made =
      zeroAt === undefined ? MOVERS.has(op) && node.inputs[0] !== undefined && found.has(node.inputs[0]) : zero?.dtype === 'uint8';
    for (const value of node.outputs)
      if (value && !value.initializer && (isUint8(value) || (made && value.type === undefined))) found.add(value);
  }
  return [...found];
}

/** The input positions of `node` that may hold shifted data, or undefined when the shift does not pass it. */
function shiftedPositions(node: Node): readonly number[] | undefined {
  const op = opOf(node);
  if (MOVERS.has(op)) return op === 'Concat' ? node.inputs.map((_, i) => i) : [0];
  return QUANTIZED_POSITIONS[op];
}

/**
 * Shifts the uint8 activations of `graph` to int8 (see the module comment) when that is exact everywhere;
 * returns how many values were shifted (0: the graph is unchanged).
 */
export function shiftUint8ToInt8(graph: Graph): number {
  const activations = uint8Activations(graph);
  if (!activations.length) return 0;
  const shifted = new Set(activations);
  if (graph.inputs.some((v) => shifted.has(v)) || graph.outputs.some((v) => shifted.has(v))) return 0;
  const nodes = new Set<Node>();
  for (const value of activations) {
    const producer = value.producer;
    if (!producer || !shiftedPositions(producer)) return 0;
    nodes.add(producer);
    for (const reader of graph.users(value)) nodes.add(reader);
  }
  for (const node of nodes) {
    const positions = shiftedPositions(node);
    if (!positions) return 0;
    // every uint8 input sits where a shift is exact, and a mover's outputs are shifted when its data is
    if (node.inputs.some((v, i) => shifted.has(v!) && !positions.includes(i))) return 0;
    if (MOVERS.has(opOf(node)) && node.outputs.some((v) => v && !shifted.has(v))) return 0;
  }
  const copies = new Map<Value, Value>();
  let minus128: Value | undefined;
  for (const node of nodes) {
    for (const at of shiftedPositions(node)!) {
      const input = node.inputs[at];
      // an omitted zero point is 0: −128 once shifted
      if (!input && ZERO_POINT_OF[opOf(node)]?.(node, at, shifted)) {
        minus128 ??= graph.addInitializer(new Tensor(graph.freshName('zero_point_int8'), 'int8', [], new Uint8Array([0x80])));
        node.setInput(at, minus128);
        continue;
      }
      if (!input?.initializer || input.initializer.dtype !== 'uint8') continue;
      let copy = copies.get(input);
      if (!copy) copies.set(input, (copy = graph.addInitializer(shiftedTensor(graph, input.initializer))));
      node.setInput(at, copy);
    }
  }
  for (const value of activations)
    value.type = { kind: 'tensor', dtype: 'int8', shape: value.type?.kind === 'tensor' ? value.type.shape : undefined };
  return activations.length;
}

function shiftedTensor(graph: Graph, t: Tensor): Tensor {
  const bytes = Int8Array.from(t.bytes(), (q) => q - 128);
  return new Tensor(graph.freshName(`${t.name}_int8`), 'int8', [...t.dims], new Uint8Array(bytes.buffer));
}
