import type { Model } from '../../ir/model';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import type { TensorRange } from '../calibrate';
import { computeParams, type QuantParams, type QuantType } from '../quant-math';
import { addConstant, addValue, dropUnusedInitializers, makeNode, rewire } from './graph-edit';
import { isExcluded, RANGE_PRESERVING_OPS, tensorsToQuantize, WEIGHT_OPS } from './quantizable';
import { quantizeBiasQdq, quantizeWeightQdq, weightAxis } from './weights-qdq';

/** How static quantization represents activations and weights. */
export interface QdqOptions {
  activationType: QuantType;
  symmetricActivations: boolean;
  perChannel: boolean;
  /** Node names, output names or operator types to keep in float. */
  exclude: readonly string[];
}

/** What {@link applyStaticQdq} changed. */
export interface QdqResult {
  tensors: number;
  layers: number;
  notes: string[];
}

/**
 * Rewrites the model in place into QDQ form: every chosen activation gets QuantizeLinear →
 * DequantizeLinear with the calibrated range, weights of Conv/MatMul/Gemm are stored as int8
 * (per channel) and biases as int32 behind DequantizeLinear, which onnxruntime fuses into
 * integer kernels (QLinearConv, QLinearMatMul, …).
 */
export function applyStaticQdq(model: Model, ranges: ReadonlyMap<string, TensorRange>, options: QdqOptions): QdqResult {
  const graph = model.graph;
  const notes: string[] = [];
  const opset = model.opsetVersion('') ?? 0;
  const perChannel = options.perChannel && opset >= 13;
  if (options.perChannel && !perChannel)
    notes.push(
      `Opset ${opset} has no per-channel DequantizeLinear: weights were quantized per tensor (upgrade the model to opset 13 for per-channel).`,
    );
  // A value of unknown type is float only when calibration saw it come back as float (a range); an untyped int64
  // shape computation (Shape → Slice → Concat in tf2onnx exports) must not get a QuantizeLinear.
  const tensors = tensorsToQuantize(graph, options.exclude).filter((v) => v.type !== undefined || ranges.has(v.name));
  const params = new Map<Value, QuantParams>();
  const order = graph.topologicalOrder().order ?? graph.nodes;
  const chosen = new Set(tensors);
  const paramsOf = (v: Value): QuantParams => {
    const known = params.get(v);
    if (known) return known;
    const producer = graph.producerOf(v);
    const source = producer && RANGE_PRESERVING_OPS.has(producer.opType) ? producer.inputs[0] : undefined;
    const p = source && chosen.has(source) ? paramsOf(source) : rangeParams(ranges.get(v.name), options);
    params.set(v, p);
    return p;
  };
  for (const node of order) for (const v of [...node.inputs, ...node.outputs]) if (v && chosen.has(v)) paramsOf(v);
  for (const v of tensors) paramsOf(v);

  const dequantized = new Map<Value, Value>();
  for (const v of tensors) {
    const p = paramsOf(v);
    const scale = addConstant(graph, `${v.name}_scale`, 'float32', [], new Float32Array([p.scale]));
    const zero = addConstant(
      graph,
      `${v.name}_zero_point`,
      options.activationType,
      [],
      options.activationType === 'int8' ? new Int8Array([p.zeroPoint]) : new Uint8Array([p.zeroPoint]),
    );
    const shape = v.type?.kind === 'tensor' ? v.type.shape : undefined;
    const q = addValue(graph, `${v.name}_quantized`, options.activationType, shape);
    const dq = addValue(graph, `${v.name}_dequantized`, 'float32', shape);
    const nodes = [
      makeNode('QuantizeLinear', [v, scale, zero], [q], `${v.name}_QuantizeLinear`),
      makeNode('DequantizeLinear', [q, scale, zero], [dq], `${v.name}_DequantizeLinear`),
    ];
    rewire(
      v.consumers.filter((n) => n.graph === graph && !isExcluded(n, options.exclude)),
      v,
      dq,
    );
    const producer = graph.producerOf(v);
    graph.addNodes(nodes, producer ? { after: producer } : { at: 0 });
    dequantized.set(v, dq);
  }

  const weightNodes: Node[] = [];
  const cache = new Map<Value, { value: Value; scales: Float32Array; node: Node }>();
  let layers = 0;
  for (const node of [...graph.nodes]) {
    if (!WEIGHT_OPS.has(node.opType) || isExcluded(node, options.exclude)) continue;
    const axis = weightAxis(node);
    const weight = node.inputs[1];
    if (axis === undefined || !weight) continue;
    const fresh = !cache.has(weight);
    const w = quantizeWeightQdq(graph, weight, axis, perChannel, cache);
    if (!w) continue;
    if (fresh) weightNodes.push(w.node);
    node.setInput(1, w.value);
    const input = node.inputs[0];
    const bias = node.inputs[2];
    const inputParams = input && [...dequantized.entries()].find(([, dq]) => dq === input)?.[0];
    if (bias?.initializer && inputParams) {
      const b = quantizeBiasQdq(graph, bias, paramsOf(inputParams).scale, w.scales);
      if (b) {
        weightNodes.push(b.node);
        node.setInput(2, b.value);
      }
    }
    layers++;
  }
  graph.addNodes(weightNodes, { at: 0 });
  dropUnusedInitializers(graph);
  return { tensors: tensors.length, layers, notes };
}

function rangeParams(range: TensorRange | undefined, options: QdqOptions): QuantParams {
  const r = range ?? { min: 0, max: 0 };
  return computeParams(r.min, r.max, options.activationType, options.symmetricActivations);
}
