// Compares a model with its conversion tensor by tensor, to find where a converted model starts to drift:
//   node bin/run-ts.js scripts/diff-tensors.ts <model> [--against <converted file>] [--bound 1e-4] [--seed 1]
//        [--top 12] [--dim name=value …]
// Without --against the model is converted to the other format here (as `lithe convert` does). Both models run
// once in their own runtime on the original's seeded inputs (sample `--seed`) with every value their main graph
// computes exposed as an output; values are paired by name (a converted layout, NCHW ↔ NHWC, is transposed back)
// and compared in real numbers (quantized tensors dequantized). Printed: the first value in the original's order
// whose error exceeds the bound (relative to the value's largest |x|; for a quantized value, more than `--steps`
// quantization steps, by default any step: that is where drift starts), the `--top` worst values, and how many
// values had no partner.
import { readFileSync } from 'node:fs';
import { decodeOnnx, encodeOnnx } from '../src/engine/formats/onnx';
import { convertModelFormat, decodeTflite, encodeTflite } from '../src/engine/formats/tflite';
import type { Model } from '../src/engine/ir/model';
import { inferShapes } from '../src/engine/ir/shape-inference';
import type { Value } from '../src/engine/ir/value';
import { constantNumbers } from '../src/engine/formats/tflite/convert/from-onnx/narrow';
import { realValues, type Quantization, type RunnerTensor } from '../src/engine/verify/model-runner';
import { openRunner } from '../src/engine/verify/runner-loader';

type Format = 'onnx' | 'tflite';

const args = process.argv.slice(2);
function option(name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
}
const dims: Record<string, number> = {};
for (let spec = option('--dim'); spec !== undefined; spec = option('--dim')) {
  const [key, size] = spec.split('=');
  dims[key!] = Number(size);
}
const against = option('--against');
const bound = Number(option('--bound') ?? 1e-4);
const seed = Number(option('--seed') ?? 1);
const top = Number(option('--top') ?? 12);
const stepBound = Number(option('--steps') ?? 0);
const [file] = args;
if (!file) {
  console.error('usage: diff-tensors <model> [--against converted] [--bound 1e-4] [--seed 1] [--top 12] [--steps 0] [--dim name=value]');
  process.exit(2);
}

const formatOf = (path: string): Format => (path.endsWith('.tflite') ? 'tflite' : 'onnx');
const decode = (bytes: Uint8Array, format: Format, name: string): Model =>
  format === 'onnx' ? decodeOnnx(bytes, { file: name }) : decodeTflite(bytes, { file: name });
const encode = (model: Model, format: Format): Uint8Array => (format === 'onnx' ? encodeOnnx(model) : encodeTflite(model));

/** The values the main graph computes (node outputs), in the graph's order. */
function computedValues(model: Model): Value[] {
  const seen = new Set<Value>();
  for (const node of model.graph.topologicalOrder().order ?? model.graph.nodes)
    for (const value of node.outputs) if (value && !value.initializer) seen.add(value);
  return [...seen];
}

/** A copy of `bytes` with every computed value of its main graph exposed as an output, and the names in order. */
function exposeAll(bytes: Uint8Array, format: Format, name: string): { bytes: Uint8Array; names: string[] } {
  const copy = decode(bytes, format, name);
  if (format === 'onnx') inferShapes(copy);
  const graph = copy.graph;
  const names: string[] = [];
  for (const value of computedValues(copy)) {
    const type = value.type;
    if (type && type.kind !== 'tensor') continue;
    if (!graph.outputs.includes(value)) {
      // the element type only: a declared shape could contradict what the runtime computes
      if (format === 'onnx') value.type = type ? { kind: 'tensor', dtype: type.dtype } : undefined;
      graph.outputs.push(value);
    }
    names.push(value.name);
  }
  return { bytes: encode(copy, format), names };
}

// ONNX keeps an integer tensor's scale and zero point beside it, as inputs of the node making or reading it
const MAKES: Record<string, [number, number]> = { QuantizeLinear: [1, 2], QLinearConv: [6, 7], QLinearMatMul: [6, 7], QLinearAdd: [6, 7] };
const READS: Record<string, [number, number]> = {
  DequantizeLinear: [1, 2],
  QLinearConv: [1, 2],
  QLinearMatMul: [1, 2],
  QLinearAdd: [1, 2],
};
const KEEPS = new Set(['MaxPool', 'Reshape', 'Transpose', 'Split', 'Concat', 'Squeeze', 'Unsqueeze', 'Flatten', 'Slice', 'Identity']);

/** The per-tensor quantization of the integer values of an ONNX model, as its nodes say it. */
function onnxQuantization(model: Model): Map<string, Quantization> {
  const found = new Map<string, Quantization>();
  const numbers = (v: Value | undefined) => (v?.initializer ? constantNumbers(v.initializer) : undefined);
  const read = (node: { inputs: readonly (Value | undefined)[] }, [s, z]: [number, number]): Quantization | undefined => {
    const scale = numbers(node.inputs[s]);
    return scale?.length === 1 ? { scale: scale[0]!, zeroPoint: numbers(node.inputs[z])?.[0] ?? 0 } : undefined;
  };
  for (const node of model.graph.topologicalOrder().order ?? model.graph.nodes) {
    const reads = READS[node.opType];
    const input = node.inputs[0];
    const q = reads && read(node, reads);
    if (input && q && !found.has(input.name)) found.set(input.name, q);
    const makes = MAKES[node.opType];
    const kept = KEEPS.has(node.opType) && input ? found.get(input.name) : undefined;
    const out = makes ? read(node, makes) : kept;
    for (const value of makes ? node.outputs.slice(0, 1) : node.outputs) if (value && out) found.set(value.name, out);
  }
  return found;
}

/** Runs `bytes` with everything exposed on `feeds`; values by name. */
async function runAll(bytes: Uint8Array, format: Format, role: string, feeds?: RunnerTensor[]) {
  const exposed = exposeAll(bytes, format, role);
  const runner = await openRunner(exposed.bytes, format, role, { dims, file: role });
  try {
    const inputs = feeds ?? runner.sampleFeeds(seed);
    const results = await runner.run(inputs);
    const byName = new Map<string, RunnerTensor>();
    const quant = format === 'onnx' ? onnxQuantization(decode(bytes, format, role)) : new Map<string, Quantization>();
    runner.outputs.forEach((io, index) => {
      const result = results[index]!;
      const q = quant.get(io.name);
      byName.set(io.name, q && !result.quant && !(result.data instanceof Float32Array) ? { ...result, quant: q } : result);
    });
    // graph inputs pair too (a converted model may already differ in how it reads its input)
    runner.inputs.forEach((io, index) => byName.set(io.name, inputs[index]!));
    return { order: [...runner.inputs.map((io) => io.name), ...exposed.names], byName, feeds: inputs };
  } finally {
    await runner.dispose();
  }
}

/** `data` (of shape `shape`) with its axes put in `perm` order. */
function transpose(data: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): Float64Array {
  const out = new Float64Array(data.length);
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((axis) => shape[axis]!);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let axis = 0; axis < perm.length; axis++) source += index[axis]! * strides[perm[axis]!]!;
    out[o] = data[source]!;
    for (let axis = perm.length - 1; axis >= 0; axis--) {
      if (++index[axis]! < outShape[axis]!) break;
      index[axis] = 0;
    }
  }
  return out;
}

/** Channels-first → channels-last orders of a rank (and the identity), the layouts a conversion may change. */
function layouts(rank: number): number[][] {
  const identity = [...Array(rank).keys()];
  if (rank < 3) return [identity];
  const last = [0, ...identity.slice(2), 1];
  const first = [0, rank - 1, ...identity.slice(1, rank - 1)];
  return [identity, last, first];
}

interface Diff {
  name: string;
  maxAbs: number;
  relative: number;
  steps?: number;
  layout: string;
}

/** Compares the converted tensor with the original's, in whichever layout pairs them best; undefined when none does. */
function compare(name: string, reference: RunnerTensor, candidate: RunnerTensor): Diff | undefined {
  const a = realValues(reference);
  const b = realValues(candidate);
  if (a.length !== b.length) return undefined;
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]!));
  let best: Diff | undefined;
  const shapes = (perm: readonly number[]) => perm.map((axis) => reference.dims[axis]).join(',') === candidate.dims.join(',');
  const perms = layouts(reference.dims.length).filter(shapes);
  for (const perm of perms.length ? perms : [[...reference.dims.keys()]]) {
    const moved = transpose(a, reference.dims, perm);
    let maxAbs = 0;
    for (let i = 0; i < b.length; i++) {
      const error = Math.abs(moved[i]! - b[i]!);
      maxAbs = Number.isNaN(error) ? Infinity : Math.max(maxAbs, error);
    }
    const relative = scale > 0 ? maxAbs / scale : maxAbs === 0 ? 0 : Infinity;
    if (!best || maxAbs < best.maxAbs) {
      const step = candidate.quant?.scale ?? reference.quant?.scale;
      const layout = perm.every((axis, i) => axis === i) ? '' : ` (as [${perm}])`;
      best = { name, maxAbs, relative, ...(step ? { steps: maxAbs / step } : {}), layout };
    }
  }
  return best;
}

const over = (d: Diff): boolean => (d.steps !== undefined ? d.steps > stepBound + 1e-3 : d.relative > bound);
const words = (d: Diff): string =>
  `${d.name}${d.layout}: max |error| ${d.maxAbs.toExponential(2)}, relative ${d.relative.toExponential(2)}` +
  (d.steps !== undefined ? `, ${d.steps.toFixed(2)} step(s)` : '');

const from = formatOf(file);
const to: Format = from === 'onnx' ? 'tflite' : 'onnx';
const source = new Uint8Array(readFileSync(file));
let converted: Uint8Array;
if (against) converted = new Uint8Array(readFileSync(against));
else {
  const result = await convertModelFormat(decode(source, from, file), to, { file, dims });
  Object.assign(dims, result.dims);
  converted = encode(result.model, to);
}

const original = await runAll(source, from, 'the original model');
const other = await runAll(converted, against ? formatOf(against) : to, 'the converted model', original.feeds);
const diffs: Diff[] = [];
const unpaired: string[] = [];
for (const name of original.order) {
  // a value the conversion moved to channels-last keeps its name with `_t` added
  const partner = other.byName.get(name) ?? other.byName.get(`${name}_t`);
  const diff = partner && compare(name, original.byName.get(name)!, partner);
  if (diff) diffs.push(diff);
  else unpaired.push(name);
}
console.log(
  `${diffs.length} values paired by name, ${unpaired.length} of the original's ${original.order.length} without a partner` +
    (unpaired.length ? ` (${unpaired.slice(0, 6).join(', ')}${unpaired.length > 6 ? ', …' : ''})` : ''),
);
console.log(`bounds: relative ${bound} for float values, ${stepBound} quantization step(s) for quantized ones`);
const first = diffs.find(over);
console.log(first ? `first over the bound: ${words(first)}` : 'no paired value over the bound');
const worst = [...diffs].sort((x, y) => (y.steps ?? y.relative / bound) - (x.steps ?? x.relative / bound)).slice(0, top);
console.log(`worst ${worst.length}:`);
for (const d of worst) console.log(`  ${words(d)}`);
