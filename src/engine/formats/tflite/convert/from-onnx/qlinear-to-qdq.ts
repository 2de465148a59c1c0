// ONNX's integer operators spelled out as QDQ, which the translation already handles:
//   QLinearConv(x, xs, xz, w, ws, wz, ys, yz, B)  →  Q(Conv(DQ(x, xs, xz), DQ(w, ws, wz), DQ(B, xs·ws)), ys, yz)
//                                                   (uint8 ones: int8 ones keep TFLite's int8 kernels, see ops-qlinear-conv.ts)
//   QLinearMatMul(a, as, az, b, bs, bz, ys, yz)    →  Q(MatMul(DQ(a), DQ(b)), ys, yz)
//   QLinearAdd(a, as, az, b, bs, bz, ys, yz)       →  Q(Add(DQ(a), DQ(b)), ys, yz)     (com.microsoft)
//   MaxPool(q) with q = Q(…, s, z)                  →  Q(MaxPool(DQ(q, s, z)), s, z)   (exact: max commutes with DQ;
//                                                   also when q comes from a QLinearConv with output (s, z))
// The int32 bias of QLinearConv is in units of xs·ws (per output channel). The quantized weights then
// become float constants (dequantize-weights.ts) and the activations keep their QUANTIZE/DEQUANTIZE.
import type { Graph } from '../../../../ir/graph';
import { Node } from '../../../../ir/node';
import { Tensor } from '../../../../ir/tensor';
import { Value } from '../../../../ir/value';
import { constantNumbers } from './narrow';
import { runsAsInt8Conv } from './ops-qlinear-conv';

const MICROSOFT = 'com.microsoft';

/** Rewrites the QLinear ops of `graph` (see the module comment); returns how many. */
export function qlinearToQdq(graph: Graph): number {
  let rewritten = 0;
  for (const node of [...graph.nodes]) {
    const replacement = rewrite(graph, node);
    if (!replacement) continue;
    graph.replaceNode(node, replacement);
    rewritten++;
  }
  return rewritten;
}

function rewrite(graph: Graph, node: Node): Node[] | undefined {
  const op = node.domain === '' || node.domain === 'ai.onnx' ? node.opType : node.domain === MICROSOFT ? `ms:${node.opType}` : '';
  // int8 ones convert to TFLite's int8 kernels as they are (ops-qlinear-conv.ts)
  if (op === 'QLinearConv') return runsAsInt8Conv(graph, node) ? undefined : qlinear(graph, node, 'Conv', true);
  if (op === 'QLinearMatMul') return qlinear(graph, node, 'MatMul', false);
  if (op === 'ms:QLinearAdd') return qlinear(graph, node, 'Add', false);
  if (op === 'MaxPool' && node.outputs.length === 1) return quantizedPool(graph, node);
  return undefined;
}

function fresh(graph: Graph, base: string): Value {
  return graph.define(new Value(graph.freshName(base)));
}

function dq(graph: Graph, x: Value, scale: Value, zero: Value | undefined, axis?: number): { node: Node; out: Value } {
  const out = fresh(graph, `${x.name}_dq`);
  const attributes = axis === undefined ? [] : [{ name: 'axis', value: { kind: 'int' as const, value: BigInt(axis) } }];
  return {
    node: new Node('DequantizeLinear', [x, scale, zero], [out], { name: graph.freshName(`${x.name}_DequantizeLinear`), attributes }),
    out,
  };
}

const perChannel = (scale: Value | undefined): boolean =>
  scale?.initializer ? scale.initializer.dims.reduce((a, b) => a * b, 1) > 1 : false;

function qlinear(graph: Graph, node: Node, opType: 'Conv' | 'MatMul' | 'Add', conv: boolean): Node[] | undefined {
  const [a, as, az, b, bs, bz, ys, yz, bias] = node.inputs;
  const y = node.outputs[0];
  if (!a || !as || !b || !bs || !ys || !y) return undefined;
  const da = dq(graph, a, as, az);
  // Conv weights are per output channel (axis 0); MatMul's right side per column (its last axis)
  const bAxis = perChannel(bs) ? (conv ? 0 : Math.max(0, (b.initializer?.dims.length ?? 2) - 1)) : undefined;
  const db = dq(graph, b, bs, bz, bAxis);
  const nodes = [da.node, db.node];
  const inputs: (Value | undefined)[] = [da.out, db.out];
  if (conv && bias) {
    const xScale = as.initializer ? constantNumbers(as.initializer) : undefined;
    const wScale = bs.initializer ? constantNumbers(bs.initializer) : undefined;
    if (!xScale || !wScale || xScale.length !== 1) return undefined;
    const channels = wScale.length;
    const scale = graph.addInitializer(
      new Tensor(
        graph.freshName(`${bias.name}_scale`),
        'float32',
        channels > 1 ? [channels] : [],
        new Uint8Array(Float32Array.from(wScale, (s) => s * (xScale[0] ?? 1)).buffer),
      ),
    );
    const dbias = dq(graph, bias, scale, undefined, channels > 1 ? 0 : undefined);
    nodes.push(dbias.node);
    inputs.push(dbias.out);
  }
  const real = fresh(graph, `${y.name}_real`);
  const attributes = opType === 'Conv' ? node.attributes : [];
  nodes.push(new Node(opType, inputs, [real], { name: graph.freshName(`${node.name}_float`), attributes }));
  nodes.push(new Node('QuantizeLinear', [real, ys, yz], [y], { name: graph.freshName(`${node.name}_QuantizeLinear`) }));
  return nodes;
}

// where the output scale and zero point of a quantizing operator are (QLinearConv: kept for the int8 kernels)
const OUTPUT_QUANTIZATION: Record<string, number> = { QuantizeLinear: 1, QLinearConv: 6 };

function quantizedPool(graph: Graph, node: Node): Node[] | undefined {
  const [x] = node.inputs;
  const y = node.outputs[0];
  const producer = graph.producerOf(x);
  const at = producer && producer.domain === '' ? OUTPUT_QUANTIZATION[producer.opType] : undefined;
  if (!x || !y || !producer || at === undefined) return undefined;
  const [scale, zero] = [producer.inputs[at], producer.inputs[at + 1]];
  if (!scale || perChannel(scale)) return undefined;
  const dx = dq(graph, x, scale, zero);
  const real = fresh(graph, `${y.name}_real`);
  return [
    dx.node,
    new Node('MaxPool', [dx.out], [real], { name: graph.freshName(`${node.name}_float`), attributes: node.attributes }),
    new Node('QuantizeLinear', [real, scale, zero], [y], { name: graph.freshName(`${node.name}_QuantizeLinear`) }),
  ];
}
