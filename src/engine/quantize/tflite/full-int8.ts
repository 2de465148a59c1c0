import type { DataSource } from '../../data/batch';
import { LitheError } from '../../errors';
import type { TfliteModel, TfliteSubgraph, TfliteTensor } from '../../formats/tflite';
import { computeParams, type QuantParams } from '../quant-math';
import { quantizeTfliteWeight } from './hybrid';
import { calibrateTflite } from './tflite-calibrate';
import { LSTM_WEIGHT_INPUTS, TFLITE_OP, TFLITE_TYPE } from './tflite-codes';

/** Operators full-integer TFLite quantization handles, with the op version int8 needs. */
const INT8_VERSIONS = new Map<number, number>([
  [TFLITE_OP.fullyConnected, 4],
  [TFLITE_OP.conv2d, 3],
  [TFLITE_OP.depthwiseConv2d, 3],
  [TFLITE_OP.reshape, 1],
  [TFLITE_OP.softmax, 2],
  [TFLITE_OP.unidirectionalSequenceLstm, 1],
  [17, 2], // MAX_POOL_2D
  [1, 2], // AVERAGE_POOL_2D
]);

/** Operators whose output reuses the input's scale (TFLite requires it). */
const SAME_SCALE = new Set<number>([TFLITE_OP.reshape, 17, 1]);

/** Cell-state scale of integer LSTMs: a power of two (the kernel requires it), range ±16. */
const CELL_SCALE = 2 ** -11;

function setQuant(tensor: TfliteTensor, type: number, p: QuantParams): void {
  tensor.type = type;
  tensor.quantization = { min: null, max: null, scale: [p.scale], zeroPoint: [BigInt(p.zeroPoint)], quantizedDimension: 0, custom: null };
}

function quantizeBias(
  model: TfliteModel,
  tensor: TfliteTensor | undefined,
  inputScale: number,
  weightScales: readonly number[],
  dimension = 0,
): void {
  const buffer = tensor && model.buffers[tensor.buffer];
  if (!tensor || !buffer?.data || tensor.type !== TFLITE_TYPE.float32) return;
  const bytes = buffer.data.slice();
  const values = new Float32Array(bytes.buffer, 0, bytes.length / 4);
  const scales = Array.from(values, (_, i) => inputScale * (weightScales.length > 1 ? weightScales[i]! : weightScales[0]!));
  buffer.data = new Uint8Array(Int32Array.from(values, (v, i) => Math.round(v / scales[i]!)).buffer);
  tensor.type = TFLITE_TYPE.int32;
  const perChannel = weightScales.length > 1;
  tensor.quantization = {
    min: null,
    max: null,
    scale: perChannel ? scales : [scales[0]!],
    zeroPoint: (perChannel ? scales : [0]).map(() => 0n),
    quantizedDimension: dimension,
    custom: null,
  };
}

function isConstant(model: TfliteModel, t: TfliteTensor): boolean {
  return (model.buffers[t.buffer]?.data?.length ?? 0) > 0;
}

function activations(model: TfliteModel, g: TfliteSubgraph): number[] {
  const found = new Set<number>();
  for (const op of g.operators) {
    const lstm = model.operatorCodes[op.opcodeIndex]!.code === TFLITE_OP.unidirectionalSequenceLstm;
    for (const [pos, t] of [...op.inputs.entries(), ...op.outputs.map((o, i) => [100 + i, o] as const)]) {
      const tensor = g.tensors[t];
      if (!tensor || tensor.type !== TFLITE_TYPE.float32 || tensor.isVariable || isConstant(model, tensor)) continue;
      if (lstm && (pos === 18 || pos === 19)) continue;
      found.add(t);
    }
  }
  return [...found];
}

/**
 * Full-integer int8 quantization of a TFLite model (subgraph 0): activations int8 with calibrated
 * ranges (model inputs and outputs too), weights int8 symmetric (per channel for convolutions),
 * biases int32, and UNIDIRECTIONAL_SEQUENCE_LSTM in TFLite's 8x8_16 integer form (int16 cell state,
 * five intermediate tensors, the hidden scale on the last). Throws `unsupported` for other operators.
 */
export async function fullIntegerTflite(
  model: TfliteModel,
  source: DataSource,
  samples: number,
  fixedBatch?: number,
): Promise<{ tensors: number; layers: number }> {
  const g = model.subgraphs[0]!;
  for (const op of g.operators) {
    const code = model.operatorCodes[op.opcodeIndex]!.code;
    if (!INT8_VERSIONS.has(code))
      throw new LitheError('unsupported', `full-integer quantization does not handle TFLite operator ${code} yet`);
    if (code === TFLITE_OP.unidirectionalSequenceLstm && [9, 10, 11, 16, 20, 21, 22, 23].some((i) => (op.inputs[i] ?? -1) >= 0)) {
      throw new LitheError('unsupported', 'integer LSTM with peepholes, projection or layer normalization is not handled yet');
    }
  }
  const acts = activations(model, g);
  const ranges = await calibrateTflite(model, acts, source, samples, fixedBatch);
  const params = new Map<number, QuantParams>();
  const paramsOf = (t: number): QuantParams => {
    let p = params.get(t);
    if (!p) {
      const r = ranges.get(t) ?? { min: 0, max: 0 };
      p = computeParams(r.min, r.max, 'int8', false);
      params.set(t, p);
    }
    return p;
  };
  let layers = 0;
  for (const op of g.operators) {
    const codeEntry = model.operatorCodes[op.opcodeIndex]!;
    const code = codeEntry.code;
    codeEntry.version = Math.max(codeEntry.version, INT8_VERSIONS.get(code)!);
    const input = op.inputs[0]!;
    const output = op.outputs[0]!;
    const inP = paramsOf(input);
    if (SAME_SCALE.has(code)) params.set(output, inP);
    if (code === TFLITE_OP.softmax) params.set(output, { scale: 1 / 256, zeroPoint: -128 });
    if (code === TFLITE_OP.fullyConnected || code === TFLITE_OP.conv2d || code === TFLITE_OP.depthwiseConv2d) {
      const weight = g.tensors[op.inputs[1]!]!;
      const axis = code === TFLITE_OP.conv2d ? 0 : code === TFLITE_OP.depthwiseConv2d ? 3 : undefined;
      quantizeTfliteWeight(model, weight, axis);
      quantizeBias(model, g.tensors[op.inputs[2] ?? -1], inP.scale, weight.quantization!.scale!, 0);
      layers++;
    }
    if (code === TFLITE_OP.unidirectionalSequenceLstm) {
      const hidden = paramsOf(output);
      for (const i of LSTM_WEIGHT_INPUTS) {
        const w = g.tensors[op.inputs[i] ?? -1];
        if (w) quantizeTfliteWeight(model, w, undefined);
      }
      // Gate biases 12–15 pair with the input-to-gate weights 1–4.
      for (let gate = 0; gate < 4; gate++) {
        const w = g.tensors[op.inputs[1 + gate] ?? -1];
        if (w?.quantization?.scale) quantizeBias(model, g.tensors[op.inputs[12 + gate] ?? -1], inP.scale, w.quantization.scale);
      }
      setQuant(g.tensors[op.inputs[18]!]!, TFLITE_TYPE.int8, hidden);
      setQuant(g.tensors[op.inputs[19]!]!, TFLITE_TYPE.int16, { scale: CELL_SCALE, zeroPoint: 0 });
      const intermediates: number[] = [];
      for (const name of ['input_to_input', 'input_to_forget', 'input_to_cell', 'input_to_output', 'effective_hidden_scale']) {
        intermediates.push(g.tensors.length);
        const t: TfliteTensor = {
          name: `${name}_intermediate`,
          shape: [0],
          shapeSignature: null,
          type: TFLITE_TYPE.float32,
          buffer: 0,
          quantization: null,
          sparsity: null,
          isVariable: false,
          hasRank: false,
          variantTensors: null,
        };
        if (name === 'effective_hidden_scale') setQuant(t, TFLITE_TYPE.int8, hidden);
        g.tensors.push(t);
      }
      op.intermediates = intermediates;
      layers++;
    }
  }
  for (const t of acts) setQuant(g.tensors[t]!, TFLITE_TYPE.int8, paramsOf(t));
  return { tensors: acts.length, layers };
}
