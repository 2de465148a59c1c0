import type { Node } from './node';
import { Tensor } from './tensor';

/** True for a node of the default domain's Constant operator. */
export function isConstantNode(node: Node): boolean {
  return node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx');
}

/**
 * The tensor a Constant node produces, named after its output, from whichever attribute holds it
 * (`value`, `value_float(s)`, `value_int(s)`); `undefined` for the sparse and string forms.
 */
export function constantNodeTensor(node: Node): Tensor | undefined {
  if (!isConstantNode(node)) return undefined;
  const name = node.outputs[0]?.name ?? '';
  for (const a of node.attributes) {
    const v = a.value;
    if (a.name === 'value' && v.kind === 'tensor') return sharedTensor(v.value, name);
    if (a.name === 'value_float' && v.kind === 'float') return numberTensor(name, 'float32', [], [v.value]);
    if (a.name === 'value_floats' && v.kind === 'floats') return numberTensor(name, 'float32', [v.value.length], v.value);
    if (a.name === 'value_int' && v.kind === 'int') return numberTensor(name, 'int64', [], [v.value]);
    if (a.name === 'value_ints' && v.kind === 'ints') return numberTensor(name, 'int64', [v.value.length], v.value);
  }
  return undefined;
}

/** A tensor called `name` sharing `t`'s data (loaded lazily, never copied). */
export function sharedTensor(t: Tensor, name: string): Tensor {
  if (t.name === name) return t;
  const out =
    t.dtype === 'string'
      ? new Tensor(name, t.dtype, [...t.dims], { loadStrings: () => t.strings() })
      : new Tensor(name, t.dtype, [...t.dims], { loadBytes: () => t.bytes(), byteLength: t.byteLength });
  out.docString = t.docString;
  return out;
}

function numberTensor(name: string, dtype: 'float32' | 'int64', dims: number[], values: readonly (number | bigint)[]): Tensor {
  const data =
    dtype === 'float32' ? Float32Array.from(values, Number) : BigInt64Array.from(values, (v) => (typeof v === 'bigint' ? v : BigInt(v)));
  return new Tensor(name, dtype, dims, new Uint8Array(data.buffer));
}
