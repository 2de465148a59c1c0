/**
 * Dynamic-range TFLite quantization on the IR: weights stored int8, activations stay float.
 *
 *   x ─ CONV_2D(W f32 | DEQUANTIZE(W f16)) ─ y      →      x ─ CONV_2D(W i8) ─ y            (integer: hybrid kernels)
 *                                                          x ─ CONV_2D(DEQUANTIZE(W i8)) ─ y (weights-only)
 *
 *   W_i8 = round(W / s[c]), s[c] = max|W[c,…]| / 127 (per output channel, or one s per tensor)
 *
 * `integer` lets the runtime's hybrid kernels quantize each input on the fly; `weights-only`
 * expands the int8 weights back to float once when the model loads (the same arithmetic as
 * before, a quarter of the weight bytes).
 */
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import { Node } from '../../ir/node';
import { Value } from '../../ir/value';
import { removeDeadCode } from '../../passes/util/dead-code';
import { modelGraphs } from '../../passes/util/graph-walk';
import { nodeLabel, Skips } from '../../passes/util/skips';
import type { SkippedCandidate } from '../../passes/pass';
import { isExcluded } from '../onnx/quantizable';
import { int8Weight } from './int8-tensors';
import { LSTM_OP, LSTM_WEIGHT_INPUTS } from './lstm-int8';
import { floatConstant, isTfliteOp, keepNames } from './tflite-constants';
import { storeSparse } from '../../compress/tflite/sparsify-weights';

/** Weight inputs (and their per-channel axis) of the operators with hybrid kernels. */
const HYBRID_WEIGHTS: Readonly<Record<string, readonly { input: number; axis: number | undefined }[]>> = {
  CONV_2D: [{ input: 1, axis: 0 }],
  DEPTHWISE_CONV_2D: [{ input: 1, axis: 3 }],
  FULLY_CONNECTED: [{ input: 1, axis: undefined }],
  [LSTM_OP]: LSTM_WEIGHT_INPUTS.map((input) => ({ input, axis: undefined })),
};

/** Weights that weights-only quantization also stores int8 (any float kernel reads the expanded copy). */
const WEIGHTS_ONLY: Readonly<Record<string, readonly { input: number; axis: number | undefined }[]>> = {
  ...HYBRID_WEIGHTS,
  // DEQUANTIZE takes per-channel scales, so fully connected weights get one per output row here.
  FULLY_CONNECTED: [{ input: 1, axis: 0 }],
  TRANSPOSE_CONV: [{ input: 1, axis: 0 }],
  BATCH_MATMUL: [{ input: 1, axis: undefined }],
};

/** Options of dynamic-range TFLite quantization. */
export interface HybridOptions {
  form: 'integer' | 'weights-only';
  perChannel: boolean;
  exclude: readonly string[];
}

function quantizeNode(graph: Graph, node: Node, options: HybridOptions, done: Map<Value, Value>, skips: Skips): number {
  const table = options.form === 'integer' ? HYBRID_WEIGHTS : WEIGHTS_ONLY;
  let count = 0;
  for (const w of table[node.opType] ?? []) {
    const weight = node.inputs[w.input];
    if (!weight) continue;
    const known = done.get(weight);
    if (known) {
      node.setInput(w.input, known);
      count++;
      continue;
    }
    const c = floatConstant(graph, weight);
    if (!c) {
      if (weight.type?.kind === 'tensor' && weight.type.dtype === 'float32')
        skips.add(node, 'its weights are computed at run time, not stored');
      continue;
    }
    const axis = options.perChannel && w.axis !== undefined && w.axis < c.dims.length ? w.axis : undefined;
    const q = int8Weight(graph, `${weight.name}`, c, axis);
    let replacement = q;
    if (options.form === 'weights-only') {
      replacement = graph.define(
        new Value(graph.freshName(`${weight.name}_dequantized`), { kind: 'tensor', dtype: 'float32', shape: [...c.dims] }),
      );
      graph.addNode(new Node('DEQUANTIZE', [q], [replacement], { name: `${nodeLabel(node)}_weights_dequantize`, domain: 'tflite' }), {
        before: node,
      });
    }
    done.set(weight, replacement);
    node.setInput(w.input, replacement);
    if (c.sparse && q.initializer) storeSparse(graph, q, q.initializer);
    count++;
  }
  return count;
}

/**
 * Stores the weights of the model's convolution, fully connected and LSTM operators (every graph)
 * as int8 in place (see the header). Returns the number of layers changed and the ones left alone.
 */
export function hybridQuantizeTflite(
  model: Model,
  options: HybridOptions,
): { layers: number; weights: number; skipped: SkippedCandidate[] } {
  const skips = new Skips();
  let layers = 0;
  let weights = 0;
  for (const graph of modelGraphs(model)) {
    const done = new Map<Value, Value>();
    for (const node of [...graph.nodes]) {
      if (!isTfliteOp(node)) continue;
      const table = options.form === 'integer' ? HYBRID_WEIGHTS : WEIGHTS_ONLY;
      if (!table[node.opType]) continue;
      if (isExcluded(node, options.exclude)) {
        skips.add(node, 'kept in float by the recipe');
        continue;
      }
      const n = quantizeNode(graph, node, options, done, skips);
      weights += n;
      if (n > 0) layers++;
    }
    removeDeadCode(graph);
    keepNames(graph, done);
  }
  return { layers, weights, skipped: skips.list };
}
