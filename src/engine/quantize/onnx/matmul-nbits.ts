import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import { addConstant, addValue, floatData, intAttr, makeNode } from './graph-edit';
import { transposeMatrix } from './transpose-matrix';

/** The Microsoft-domain operator set onnxruntime's MatMulNBits lives in. */
export const MS_DOMAIN = 'com.microsoft';

/** Block-wise 4-bit weights packed as MatMulNBits wants them. */
export interface Packed4Bit {
  /** [N, blocks, blockSize / 2] bytes, low nibble first. */
  data: Uint8Array;
  /** [N × blocks] scales. */
  scales: Float32Array;
  /** [N × ceil(blocks / 2)] packed zero points (asymmetric only). */
  zeroPoints?: Uint8Array;
  blocks: number;
}

/**
 * Quantizes a [K, N] weight to 4 bits block-wise along K (one scale, and for asymmetric one zero
 * point, per block of `blockSize` rows of each column). Symmetric blocks use the default zero point 8.
 */
export function pack4Bit(weight: Float32Array, k: number, n: number, blockSize: number, symmetric: boolean): Packed4Bit {
  const blocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const data = new Uint8Array(n * blocks * blob);
  const scales = new Float32Array(n * blocks);
  const zeroPoints = symmetric ? undefined : new Uint8Array(n * Math.ceil(blocks / 2));
  // Indices below stay inside their arrays by construction: col < n, b < blocks, r < k, i < blockSize.
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < blocks; b++) {
      let min = 0;
      let max = 0;
      for (let r = b * blockSize; r < Math.min(k, (b + 1) * blockSize); r++) {
        const w = weight[r * n + col]!;
        min = Math.min(min, w);
        max = Math.max(max, w);
      }
      let scale: number;
      let zero: number;
      if (zeroPoints) {
        scale = max > min ? (max - min) / 15 : 1;
        zero = Math.min(15, Math.max(0, Math.round(-min / scale)));
        zeroPoints[col * Math.ceil(blocks / 2) + (b >> 1)]! |= zero << ((b & 1) * 4);
      } else {
        const bound = Math.max(-min, max);
        scale = bound > 0 ? bound / 7 : 1;
        zero = 8;
      }
      scales[col * blocks + b] = scale;
      for (let i = 0; i < blockSize; i++) {
        const r = b * blockSize + i;
        const q = r < k ? Math.min(15, Math.max(0, Math.round(weight[r * n + col]! / scale) + zero)) : zero;
        data[(col * blocks + b) * blob + (i >> 1)]! |= q << ((i & 1) * 4);
      }
    }
  }
  return { data, scales, ...(zeroPoints ? { zeroPoints } : {}), blocks };
}

/** Replaces a MatMul/Gemm with a constant [K, N] weight by MatMulNBits (4 bits), or returns undefined. */
export function matMulNBitsNodes(graph: Graph, node: Node, blockSize: number, symmetric: boolean): Node[] | undefined {
  const [input, weight, bias] = node.inputs;
  const output = node.outputs[0];
  const w = floatData(weight);
  const t = weight?.initializer;
  const [rows, cols] = t?.dims ?? [];
  if (!input || !output || !weight || !w || rows === undefined || cols === undefined || t?.dims.length !== 2) return undefined;
  if (node.opType === 'Gemm' && (node.int('transA', 0) || node.float('alpha', 1) !== 1 || node.float('beta', 1) !== 1)) return undefined;
  const transposed = node.opType === 'Gemm' && node.int('transB', 0) === 1;
  const [k, n] = transposed ? [cols, rows] : [rows, cols];
  const kn = transposed ? transposeMatrix(w, n, k) : w;
  const packed = pack4Bit(kn, k, n, blockSize, symmetric);
  const base = node.name || output.name;
  const b = addConstant(graph, `${weight.name}_q4`, 'uint8', [n, packed.blocks, blockSize / 2], packed.data);
  const scales = addConstant(graph, `${weight.name}_q4_scales`, 'float32', [n * packed.blocks], packed.scales);
  const zeros = packed.zeroPoints
    ? addConstant(graph, `${weight.name}_q4_zero_points`, 'uint8', [packed.zeroPoints.length], packed.zeroPoints)
    : undefined;
  const hasBias = node.opType === 'Gemm' && bias !== undefined;
  const product = hasBias ? addValue(graph, `${base}_matmul`, 'float32') : output;
  const nodes = [
    makeNode(
      'MatMulNBits',
      [input, b, scales, ...(zeros ? [zeros] : [])],
      [product],
      `${base}_MatMulNBits`,
      [intAttr('K', k), intAttr('N', n), intAttr('bits', 4), intAttr('block_size', blockSize)],
      MS_DOMAIN,
    ),
  ];
  if (hasBias) nodes.push(makeNode('Add', [product, bias], [output], `${base}_BiasAdd`));
  return nodes;
}
