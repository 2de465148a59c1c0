/**
 * Bias correction (Nagel et al. 2019, "Data-Free Quantization Through Weight Equalization and Bias
 * Correction", empirical form): rounding a layer's weights to int8 moves the mean of its outputs,
 *
 *   E[Wq x] − E[W x] = ε E[x],   ε = Wq − W
 *
 * per output channel o: Σ over the weights of o of ε · (mean of the input channel each one reads).
 * That shift is taken out of the float bias before quantization, so the int8 layer is right on
 * average. E[x] is each input channel's mean over the calibration samples (and over positions;
 * zero padding at the borders is not counted). The weights are rounded here exactly as the int8
 * quantizers round them (symmetric, per output channel or per tensor).
 *
 *   before:  bias b,       int8 output mean  = E[W x] + b + ε E[x]
 *   after:   b − ε E[x],   int8 output mean  = E[W x] + b
 */
import type { EngineContext } from '../../context';
import type { DataSource } from '../../data/batch';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import type { CalibrationOptions } from '../calibrate';
import { isExcluded } from '../onnx/quantizable';
import { quantizeWeights, weightScaleAxis } from '../quant-math';
import {
  channelIndex,
  inputChannelIndex,
  inputChannels,
  isTflite,
  readLayer,
  writeBias,
  type LayerWeights,
} from '../equalize/layer-weights';
import { channelMeans } from './channel-means';

/** Which weights the int8 step will quantize, and how. */
export interface BiasCorrectionOptions {
  perChannel: boolean;
  /** TFLite: weights that keep this SQNR (dB) with one scale get one (see weightScaleAxis). */
  perTensorFromDb?: number;
  exclude: readonly string[];
}

/** The axis the int8 quantizers give one scale per slice of, or undefined for one scale per tensor. */
function quantizationAxis(model: Model, layer: LayerWeights, options: BiasCorrectionOptions): number | undefined {
  if (!options.perChannel) return undefined;
  if (isTflite(layer.node)) return weightScaleAxis(layer.weight, layer.dims, layer.outAxis, options.perTensorFromDb);
  return (model.opsetVersion('') ?? 0) >= 13 ? layer.outAxis : undefined;
}

/** The mean output shift per output channel that int8 rounding of the layer's weights causes on inputs with `means`. */
export function roundingShift(layer: LayerWeights, axis: number | undefined, means: Float64Array): Float64Array {
  const q = quantizeWeights(layer.weight, layer.dims, axis);
  const scaleOf = axis === undefined ? undefined : channelIndex(layer.dims, axis);
  const out = channelIndex(layer.dims, layer.outAxis);
  const input = inputChannelIndex(layer);
  const shift = new Float64Array(layer.bias.length);
  for (let e = 0; e < layer.weight.length; e++) {
    const rounded = (q.values[e] ?? 0) * (q.scales[scaleOf ? (scaleOf[e] ?? 0) : 0] ?? 1);
    const o = out[e] ?? 0;
    shift[o] = (shift[o] ?? 0) + (rounded - (layer.weight[e] ?? 0)) * (means[input[e] ?? 0] ?? 0);
  }
  return shift;
}

function layersToCorrect(graph: Graph, exclude: readonly string[]): LayerWeights[] {
  return graph.nodes
    .filter((n) => !isExcluded(n, exclude) && n.opType !== 'MatMul')
    .map((n) => readLayer(graph, n))
    .filter((l): l is LayerWeights => l !== undefined && l.node.inputs[0] !== undefined);
}

/**
 * Corrects the float biases of the layers of the main graph that int8 quantization will round (see
 * the header), from one run over the calibration samples. Returns how many layers were corrected.
 */
export async function correctBiases(
  model: Model,
  source: DataSource,
  calibration: CalibrationOptions,
  options: BiasCorrectionOptions,
  ctx: EngineContext = {},
): Promise<number> {
  const graph = model.graph;
  const layers = layersToCorrect(graph, options.exclude);
  if (layers.length === 0) return 0;
  const requests = layers.map((l) => ({
    name: l.node.inputs[0]?.name ?? '',
    channels: inputChannels(l),
    channelsLast: isTflite(l.node) || l.kind === 'dense',
  }));
  const means = await channelMeans(model, requests, source, calibration, ctx);
  let corrected = 0;
  for (const layer of layers) {
    const m = means.get(layer.node.inputs[0]?.name ?? '');
    if (!m) continue;
    const shift = roundingShift(layer, quantizationAxis(model, layer, options), m);
    layer.bias = Float32Array.from(layer.bias, (b, o) => b - (shift[o] ?? 0));
    writeBias(graph, layer);
    corrected++;
  }
  return corrected;
}
