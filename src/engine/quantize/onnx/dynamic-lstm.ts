/**
 * Dynamic-range int8 for ONNX LSTM layers: onnxruntime's DynamicQuantizeLSTM (com.microsoft) takes
 * the same inputs and attributes as LSTM with int8 input and recurrence weights, transposed, and
 * quantizes the activations itself at each step.
 *
 *   LSTM(X, W f32 [d, 4H, I], R f32 [d, 4H, H], B, seq_lens, h0, c0, P)
 *   →  DynamicQuantizeLSTM(X, Wq i8 [d, I, 4H], Rq i8 [d, H, 4H], B, seq_lens, h0, c0, P,
 *                          W_scale [d, 4H], W_zero_point, R_scale [d, 4H], R_zero_point)
 *
 *   Wq[d, i, g] = round(W[d, g, i] / s[d, g]),  s[d, g] = max_i |W[d, g, i]| / 127   (per gate row,
 *   or one s per direction when not per channel); zero points 0.
 */
import type { Graph } from '../../ir/graph';
import { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import { addConstant, floatData } from './graph-edit';
import { MS_DOMAIN } from './matmul-nbits';

/** Why an LSTM cannot take the int8 form, or undefined when it can. */
export function lstmDeclined(node: Node): string | undefined {
  if (node.int('layout', 0) !== 0) return 'onnxruntime has no int8 LSTM for batch-first layout (layout 1); it stays float';
  for (const [index, role] of [
    [1, 'input'],
    [2, 'recurrence'],
  ] as const) {
    const t = node.inputs[index]?.initializer;
    if (!t || t.dims.length !== 3 || !floatData(node.inputs[index]))
      return `its ${role} weights are not a stored float constant [directions, 4·hidden, …]; it stays float`;
  }
  return undefined;
}

interface QuantizedMatrix {
  value: Value;
  scale: Value;
  zeroPoint: Value;
}

// [d, rows, cols] float → [d, cols, rows] int8 with one scale per (d, row), or per d.
function quantizeTransposed(graph: Graph, weight: Value, perChannel: boolean): QuantizedMatrix | undefined {
  const data = floatData(weight);
  const dims = weight.initializer?.dims;
  if (!data || !dims || dims.length !== 3) return undefined;
  const [dirs = 1, rows = 1, cols = 1] = dims;
  const groups = perChannel ? dirs * rows : dirs;
  const bound = new Float64Array(groups);
  const groupOf = (d: number, r: number): number => (perChannel ? d * rows + r : d);
  for (let d = 0; d < dirs; d++)
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const g = groupOf(d, r);
        bound[g] = Math.max(bound[g] ?? 0, Math.abs(data[(d * rows + r) * cols + c] ?? 0));
      }
  const scales = Float32Array.from(bound, (b) => (b > 0 ? b / 127 : 1));
  const q = new Int8Array(data.length);
  for (let d = 0; d < dirs; d++)
    for (let r = 0; r < rows; r++) {
      const s = scales[groupOf(d, r)] ?? 1;
      for (let c = 0; c < cols; c++)
        q[(d * cols + c) * rows + r] = Math.max(-127, Math.min(127, Math.round((data[(d * rows + r) * cols + c] ?? 0) / s)));
    }
  const shape = perChannel ? [dirs, rows] : [dirs];
  return {
    value: addConstant(graph, `${weight.name}_int8`, 'int8', [dirs, cols, rows], q),
    scale: addConstant(graph, `${weight.name}_scale`, 'float32', shape, scales),
    zeroPoint: addConstant(graph, `${weight.name}_zero_point`, 'int8', shape, new Int8Array(groups)),
  };
}

/** The DynamicQuantizeLSTM node that replaces `node` (see the header), or undefined when it cannot. */
export function dynamicLstmNode(graph: Graph, node: Node, perChannel: boolean): Node | undefined {
  if (lstmDeclined(node)) return undefined;
  const [x, w, r, b, lengths, h0, c0, p] = node.inputs;
  if (!x || !w || !r) return undefined;
  const wq = quantizeTransposed(graph, w, perChannel);
  const rq = quantizeTransposed(graph, r, perChannel);
  if (!wq || !rq) return undefined;
  return new Node(
    'DynamicQuantizeLSTM',
    [x, wq.value, rq.value, b, lengths, h0, c0, p, wq.scale, wq.zeroPoint, rq.scale, rq.zeroPoint],
    node.outputs,
    {
      name: `${node.name || node.outputs.find((o) => o)?.name || 'lstm'}_int8`,
      attributes: node.attributes.filter((a) => a.name !== 'layout'),
      domain: MS_DOMAIN,
    },
  );
}
