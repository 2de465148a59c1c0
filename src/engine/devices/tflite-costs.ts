import { statSync } from 'node:fs';
import { TFLITE_MODEL_FORMAT } from '../formats/tflite';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import type { TracedNode, TracedTensor } from '../bench/profile-trace';
import { declaredTensor, deployedActivationMemory, float16WeightBytes, weightDerivedValues, widenedTensors } from './deployed-memory';
import { opCost, type OpCost } from './op-cost';

/** Costs of a TFLite model's operators, from the shapes stored in the file. */
export interface TfliteCosts {
  costs: OpCost[];
  modelBytes: number;
  weightBytes: number;
  float16WeightBytes: number;
  peakActivationBytes: number;
  /** The peak with float16 activations counted as float32. */
  widenedPeakActivationBytes: number;
}

const tensorOf = (value: Value | undefined): TracedTensor => {
  const type = value?.type;
  return (value && declaredTensor(value)) ?? { dtype: type?.kind === 'tensor' ? type.dtype : 'float32', shape: [] };
};
const count = (tensor: TracedTensor): number => tensor.shape.reduce((product, dim) => product * dim, 1);

/** MACs of TFLite builtin operators (NHWC layouts, weights as TFLite stores them). */
function tfliteMacs(node: Node): number | undefined {
  const input = (i: number): TracedTensor => tensorOf(node.inputs[i]);
  const out = count(tensorOf(node.outputs[0]));
  switch (node.opType) {
    case 'CONV_2D': // weights [out, kh, kw, in]
      return out * (count(input(1)) / Math.max(1, input(1).shape[0] ?? 1));
    case 'DEPTHWISE_CONV_2D': // weights [1, kh, kw, out]
      return out * (input(1).shape[1] ?? 1) * (input(1).shape[2] ?? 1);
    case 'FULLY_CONNECTED': // weights [units, in]
      return out * (input(1).shape.at(-1) ?? 1);
    case 'TRANSPOSE_CONV': // inputs: output shape, weights [out, kh, kw, in], input
      return count(input(2)) * (count(input(1)) / Math.max(1, input(1).shape.at(-1) ?? 1));
    case 'BATCH_MATMUL':
      return out * (input(0).shape.at(-1) ?? 1);
    case 'UNIDIRECTIONAL_SEQUENCE_LSTM':
    case 'BIDIRECTIONAL_SEQUENCE_LSTM':
    case 'UNIDIRECTIONAL_SEQUENCE_RNN':
    case 'SVDF': {
      // Every step multiplies the input and the state by all weight matrices once.
      const steps = count(input(0)) / Math.max(1, input(0).shape.at(-1) ?? 1);
      const weights = node.inputs
        .slice(1)
        .filter((value) => value?.initializer && (value.type?.kind === 'tensor' ? (value.type.shape?.length ?? 0) >= 2 : false));
      return steps * weights.reduce((sum, value) => sum + count(tensorOf(value)), 0);
    }
    default:
      return undefined;
  }
}

/** Reads a .tflite file and costs every operator of its main graph (MACs, bytes, int8). */
export function tfliteCosts(path: string): TfliteCosts {
  const model = TFLITE_MODEL_FORMAT.read(path);
  let weightBytes = 0;
  for (const tensor of model.graph.initializers) weightBytes += tensor.byteLength;
  // Values computed from weights alone (DEQUANTIZE of float16 or sparse weights) are made once, when the model loads.
  const fromWeights = weightDerivedValues(model.graph, model.graph.topologicalOrder().order ?? [...model.graph.nodes]);
  const perRun = model.graph.nodes.filter((node) => !node.outputs.every((value) => !value || fromWeights.has(value)));
  const costs = perRun.map((node): OpCost => {
    const traced: TracedNode = {
      name: node.name,
      opType: node.opType,
      provider: 'tflite',
      selfUs: 0,
      inputs: node.inputs.filter((value): value is Value => value !== undefined).map(tensorOf),
      outputs: node.outputs.filter((value): value is Value => value !== undefined).map(tensorOf),
      parameterBytes: 0,
      activationBytes: 0,
      outputBytes: 0,
    };
    const cost = opCost(traced);
    return { ...cost, macs: tfliteMacs(node) ?? cost.macs };
  });
  const { peakActivationBytes } = deployedActivationMemory(model.graph, tensorOf);
  const widenedPeakActivationBytes = deployedActivationMemory(model.graph, widenedTensors(tensorOf)).peakActivationBytes;
  return {
    costs,
    modelBytes: statSync(path).size,
    weightBytes,
    float16WeightBytes: float16WeightBytes(model.graph),
    peakActivationBytes,
    widenedPeakActivationBytes,
  };
}
