import type { Builder } from 'flatbuffers';
import type { BuiltinOptions } from './generated/tflite/builtin-options';
import type { BuiltinOptions2 } from './generated/tflite/builtin-options2';

/**
 * A TFLite model as plain data, field for field as in the file. `null` means "absent in the file"
 * (distinct from an empty list), so a model read and written back keeps the same shape.
 * Byte payloads (buffers, custom options) are views into the bytes that were read.
 */
export interface TfliteModel {
  version: number;
  description: string | null;
  operatorCodes: TfliteOperatorCode[];
  subgraphs: TfliteSubgraph[];
  buffers: TfliteBuffer[];
  metadataBuffer: number[] | null;
  metadata: TfliteMetadata[] | null;
  signatureDefs: TfliteSignatureDef[] | null;
}

/** An entry of the model's operator table; operators refer to it by index. */
export interface TfliteOperatorCode {
  /** The builtin operator, resolved from `builtinCode` and the legacy byte field. */
  code: number;
  deprecatedBuiltinCode: number;
  builtinCode: number;
  customCode: string | null;
  version: number;
}

/** One graph of the model; subgraph 0 is the main graph. */
export interface TfliteSubgraph {
  name: string | null;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
  debugMetadataIndex: number;
}

/** A tensor: its shape, element type and, for constants, the buffer holding its data. */
export interface TfliteTensor {
  name: string | null;
  shape: number[] | null;
  shapeSignature: number[] | null;
  type: number;
  buffer: number;
  quantization: TfliteQuantization | null;
  sparsity: TfliteSparsity | null;
  isVariable: boolean;
  hasRank: boolean;
  variantTensors: TfliteVariantSubType[] | null;
}

/** Affine quantization: real = scale × (q − zeroPoint), per tensor or per channel along `quantizedDimension`. */
export interface TfliteQuantization {
  min: number[] | null;
  max: number[] | null;
  scale: number[] | null;
  zeroPoint: bigint[] | null;
  quantizedDimension: number;
  /** Opaque custom quantization (union type 1, CustomQuantization). */
  custom: Uint8Array | null;
}

/** Which integer width a sparse index vector uses. */
export type TfliteSparseIndexKind = 'int32' | 'uint16' | 'uint8';

/** Index data of one sparse dimension. */
export interface TfliteSparseIndexVector {
  kind: TfliteSparseIndexKind;
  values: number[] | null;
}

/** Storage of one dimension of a sparse tensor (TACO-style). */
export interface TfliteDimensionMetadata {
  format: number;
  denseSize: number;
  arraySegments: TfliteSparseIndexVector | null;
  arrayIndices: TfliteSparseIndexVector | null;
}

/** How a sparse tensor is encoded. */
export interface TfliteSparsity {
  traversalOrder: number[] | null;
  blockMap: number[] | null;
  dimMetadata: TfliteDimensionMetadata[] | null;
}

/** Nested type of a VARIANT tensor. */
export interface TfliteVariantSubType {
  shape: number[] | null;
  type: number;
  hasRank: boolean;
}

/** An options table as the generated object API unpacks it (e.g. `Conv2DOptionsT`). */
export interface TfliteOptionsTable {
  pack(builder: Builder): number;
}

/** Builtin options of an operator: the union type tag and the unpacked table. */
export interface TfliteBuiltinOptions<T extends number = BuiltinOptions | BuiltinOptions2> {
  type: T;
  table: TfliteOptionsTable;
  /** Vector fields absent in the file (the object API would otherwise write them as empty). */
  absentVectors: string[];
}

/** One operator (node) of a subgraph. */
export interface TfliteOperator {
  opcodeIndex: number;
  /** Tensor indices; −1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  builtinOptions: TfliteBuiltinOptions<BuiltinOptions> | null;
  builtinOptions2: TfliteBuiltinOptions<BuiltinOptions2> | null;
  /** Opaque options of a custom operator (usually a FlexBuffer), kept byte for byte. */
  customOptions: Uint8Array | null;
  /** True when the custom options were stored after the flatbuffer (models over 2 GB). */
  customOptionsExternal: boolean;
  customOptionsFormat: number;
  mutatingVariableInputs: boolean[] | null;
  intermediates: number[] | null;
  debugMetadataIndex: number;
}

/** Raw data of constant tensors. Buffer 0 is the empty sentinel. */
export interface TfliteBuffer {
  /** The bytes, or null when the buffer has no data vector. */
  data: Uint8Array | null;
  /** True when the data lives after the flatbuffer (offset/size), as in models over 2 GB. */
  external: boolean;
}

/** A named metadata entry pointing at a buffer. */
export interface TfliteMetadata {
  name: string | null;
  buffer: number;
}

/** An alias name for a tensor, used by signatures. */
export interface TfliteTensorMap {
  name: string | null;
  tensorIndex: number;
}

/** A callable signature of the model (inputs/outputs by name, and the subgraph to run). */
export interface TfliteSignatureDef {
  signatureKey: string | null;
  inputs: TfliteTensorMap[] | null;
  outputs: TfliteTensorMap[] | null;
  subgraphIndex: number;
  deprecatedTag: string | null;
}
