import type { EngineContext } from '../context';
import type { DataSource } from '../data/batch';
import type { ModelFormat } from '../formats/model-io';
import type { Model } from '../ir/model';
import type { Node } from '../ir/node';
import { calibrateRanges, type CalibrationOptions } from './calibrate';
import { quantizedBytes } from './mixed-search';
import { decodeModel, encodeModel } from './model-copy';
import { nothingQuantizedNote } from './nothing-quantized';
import type { QdqOptions } from './onnx/apply-qdq';
import { ACTIVATION_OPS, tensorsToQuantize, WEIGHT_OPS } from './onnx/quantizable';
import { fullIntegerTflite } from './tflite/full-int8';
import { INT8_OPS } from './tflite/int8-ops';
import { isTfliteOp } from './tflite/tflite-constants';

// Mixed precision tries many "int8 except these layers" versions of one float model. A builder
// calibrates once and then makes each version from the float bytes: QDQ for ONNX, full integer
// for TFLite (operators kept in float get QUANTIZE/DEQUANTIZE around them).

/** What a layer is to mixed precision, in the model's format. */
export interface LayerKinds {
  /** Starts a layer: has weights (Conv/MatMul/Gemm; CONV_2D, FULLY_CONNECTED, …). */
  weight(node: Node): boolean;
  /** Can be quantized without weights (activations, pooling, reshapes …); joins the layer before it. */
  activation(node: Node): boolean;
}

/** Makes the quantized model with `exclude` kept in float, as bytes of the model's format. */
export interface MixedBuilder {
  format: ModelFormat;
  floatBytes: Uint8Array;
  kinds: LayerKinds;
  /** Whether the version with nothing kept in float quantizes anything; when not, `notes` say why. */
  quantizesAnything: boolean;
  notes: string[];
  build(exclude: readonly string[], ctx: EngineContext): Promise<Uint8Array>;
}

/** Settings shared by both formats. */
export interface MixedBuildOptions extends Omit<QdqOptions, 'exclude'> {
  calibration: CalibrationOptions;
  io: 'int8' | 'float';
}

const ONNX_KINDS: LayerKinds = {
  weight: (node) => WEIGHT_OPS.has(node.opType),
  activation: (node) => ACTIVATION_OPS.has(node.opType),
};

const TFLITE_KINDS: LayerKinds = {
  weight: (node) => isTfliteOp(node) && (INT8_OPS[node.opType]?.weights?.length ?? 0) > 0,
  activation: (node) => isTfliteOp(node) && INT8_OPS[node.opType] !== undefined && !INT8_OPS[node.opType]?.weights?.length,
};

/** A builder for `model` (its float form, shapes known): calibrates on `source` once. */
export async function mixedBuilder(
  model: Model,
  source: DataSource,
  options: MixedBuildOptions,
  ctx: EngineContext,
): Promise<MixedBuilder> {
  const floatBytes = encodeModel(model);
  if (model.format === 'tflite') {
    // A full run with nothing excluded calibrates every activation any version can need.
    const first = decodeModel('tflite', floatBytes);
    const full = await fullIntegerTflite(
      first,
      source,
      { ...options.calibration, io: options.io, exclude: [], perChannel: options.perChannel },
      ctx,
    );
    return {
      format: 'tflite',
      floatBytes,
      kinds: TFLITE_KINDS,
      quantizesAnything: full.layers > 0,
      notes: full.layers > 0 ? [] : full.notes,
      async build(exclude, buildCtx) {
        const copy = decodeModel('tflite', floatBytes);
        await fullIntegerTflite(
          copy,
          source,
          { ...options.calibration, io: options.io, exclude, perChannel: options.perChannel, ranges: full.ranges },
          buildCtx,
        );
        return encodeModel(copy);
      },
    };
  }
  const names = tensorsToQuantize(model.graph, []).map((v) => v.name);
  if (names.length === 0)
    return {
      format: 'onnx',
      floatBytes,
      kinds: ONNX_KINDS,
      quantizesAnything: false,
      notes: [nothingQuantizedNote(model.graph)],
      build: async () => floatBytes,
    };
  const ranges = await calibrateRanges(model, names, source, options.calibration, ctx);
  return {
    format: 'onnx',
    floatBytes,
    kinds: ONNX_KINDS,
    quantizesAnything: true,
    notes: [],
    build: async (exclude) => quantizedBytes(floatBytes, ranges, options, exclude),
  };
}
