import { Node } from '../../ir/node';
import { tfliteExtras, tfliteRecord, type TfliteValueRecord } from '../../formats/tflite/ir-records';
import { TFLITE_DOMAIN } from '../../formats/tflite/op-names';
import { newValue } from '../../passes/util/graph-walk';
import { dtypeBits } from '../../ir/dtype';
import type { Graph } from '../../ir/graph';
import type { Tensor } from '../../ir/tensor';
import type { Value } from '../../ir/value';
import type { WeightLayer } from '../weights/weight-layers';
import { densify } from '../../formats/tflite/convert/densify';
import { LitheError } from '../../errors';
import { toSparse } from './sparse-tensor';

/** Fixed cost of the sparsity tables in the flatbuffer and of one DENSIFY operator, in bytes (approximate). */
const SPARSE_OVERHEAD = 160;

/**
 * Stores a TFLite layer's pruned weights sparse when that is smaller: the initializer keeps only its
 * non-zero values with the CSR metadata, and a DENSIFY operator before its first use gives the dense
 * tensor back to every reader. Returns the bytes saved, or 0 when the layer was left dense.
 */
export function sparsifyWeights(layer: WeightLayer): number {
  return storeSparse(layer.graph, layer.stored, layer.tensor);
}

/**
 * Stores the constant `stored` (holding `tensor`, float or int8) sparse with a DENSIFY before its
 * first use, when that makes the file smaller; the expanded value keeps `stored`'s quantization.
 * Returns the bytes saved, or 0 when it was left dense.
 */
export function storeSparse(graph: Graph, stored: Value, tensor: Tensor): number {
  const record = tfliteRecord<TfliteValueRecord>(stored.extras);
  if (!stored.initializer || record?.tensor.sparsity || !graph.initializers.includes(tensor)) return 0;
  const elementSize = dtypeBits(tensor.dtype) / 8;
  const dense = tensor.bytes();
  const sparse = toSparse(dense, elementSize, tensor.dims);
  // The expanded value carries its own copy of the quantization (float32 scale and int64 zero point each).
  const quantizationCopy = (stored.quantization?.scale.length ?? 0) * 12;
  const saved = dense.length - sparse.bytes - SPARSE_OVERHEAD - quantizationCopy;
  if (saved <= 0) return 0;
  // The storage must be exact: expand it the way DENSIFY does and compare with the dense bytes.
  const expanded = densify(sparse.values, elementSize, tensor.dims, sparse.sparsity);
  if (expanded.length !== dense.length || expanded.some((b, i) => b !== dense[i]))
    throw new LitheError('internal', `the sparse form of '${stored.name}' does not expand to its weights`);
  const output = newValue(graph, `${stored.name}_densified`, { kind: 'tensor', dtype: tensor.dtype, shape: [...tensor.dims] });
  output.quantization = stored.quantization;
  const first = Math.min(...graph.users(stored).map((n) => graph.nodes.indexOf(n)));
  graph.replaceAllUses(stored, output);
  const densifyNode = new Node('DENSIFY', [stored], [output], { name: output.name, domain: TFLITE_DOMAIN });
  graph.addNode(densifyNode, { at: Number.isFinite(first) ? first : 0 });
  tensor.setBytes(sparse.values);
  stored.type ??= { kind: 'tensor', dtype: tensor.dtype, shape: [...tensor.dims] };
  if (record)
    stored.extras = tfliteExtras({ ...record, tensor: { ...record.tensor, sparsity: sparse.sparsity } } satisfies TfliteValueRecord);
  else
    stored.extras = tfliteExtras({
      index: Number.MAX_SAFE_INTEGER,
      importedName: stored.name,
      orphan: false,
      tensor: {
        name: stored.name,
        shape: [...tensor.dims],
        shapeSignature: null,
        type: 0,
        buffer: 0,
        quantization: null,
        sparsity: sparse.sparsity,
        isVariable: false,
        hasRank: false,
        variantTensors: null,
      },
    } satisfies TfliteValueRecord);
  return saved;
}
