import type { DType } from './dtype';
import { withFixedDtypes } from './fixed-dtypes';
import type { Node } from './node';
import type { Dim } from './shape';
import type { TensorInfo } from './shape-inference';
import type { Value } from './value';

/** Inferred dtype/shape per node output (`undefined` entries: unknown). */
export type OpShapes = ({ dtype: DType; shape: Dim[] | undefined } | undefined)[];
type Info = (v: Value | undefined) => TensorInfo | undefined;

const SAME_AS_INPUT = new Set([
  'Relu',
  'LeakyRelu',
  'PRelu',
  'Sigmoid',
  'Tanh',
  'Elu',
  'Selu',
  'Celu',
  'Gelu',
  'HardSigmoid',
  'HardSwish',
  'Softplus',
  'Softsign',
  'Exp',
  'Log',
  'Sqrt',
  'Neg',
  'Abs',
  'Reciprocal',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
  'Erf',
  'Sin',
  'Cos',
  'Tan',
  'Asin',
  'Acos',
  'Atan',
  'Sinh',
  'Cosh',
  'Asinh',
  'Acosh',
  'Atanh',
  'Identity',
  'Dropout',
  'Softmax',
  'LogSoftmax',
  'Hardmax',
  'Clip',
  'BatchNormalization',
  'InstanceNormalization',
  'LayerNormalization',
  'GroupNormalization',
  'LRN',
  'Mish',
  'ThresholdedRelu',
  'Shrink',
  'CumSum',
  'QuantizeLinear',
  'DequantizeLinear',
  'Not',
  'IsNaN',
  'IsInf',
  'BitwiseNot',
  'Trilu',
  'LpNormalization',
  'MeanVarianceNormalization',
  'ReverseSequence',
  'ScatterND',
  'ScatterElements',
  'Scatter',
  'SimplifiedLayerNormalization',
]);
const BROADCAST = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Max',
  'Min',
  'Sum',
  'Mean',
  'Mod',
  'And',
  'Or',
  'Xor',
  'Equal',
  'Less',
  'Greater',
  'LessOrEqual',
  'GreaterOrEqual',
  'Where',
  'BitShift',
  'BitwiseAnd',
  'BitwiseOr',
  'BitwiseXor',
  'PRelu',
]);
const POOLS = new Set(['MaxPool', 'AveragePool', 'LpPool', 'QLinearAveragePool']);
const GLOBAL_POOLS = new Set(['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool']);
const REDUCE = /^Reduce|^ArgM/;

/** Broadcasts shapes numpy-style; symbolic dims broadcast with 1 or an equal name. */
export function broadcast(shapes: (Dim[] | undefined)[]): Dim[] | undefined {
  if (!shapes.every((s) => s !== undefined)) return undefined;
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      // axes a shorter shape lacks broadcast as 1; an unknown axis (null) stays unknown
      const at = s.length - rank + i;
      const x = at < 0 ? 1 : (s[at] ?? null);
      if (x === 1) continue;
      if (d === 1) d = x;
      else if (d !== x) d = typeof d === 'number' && typeof x === 'number' ? Math.max(d, x) : null;
    }
    out.push(d);
  }
  return out;
}

const mul = (a: Dim, b: Dim): Dim => (typeof a === 'number' && typeof b === 'number' ? a * b : null);
/** Dimension `i` of `shape`; unknown when the shape is shorter than the operator needs (a malformed model). */
const dimAt = (shape: readonly Dim[], i: number): Dim => shape[i] ?? null;

function convSpatial(node: Node, x: Dim[], kernel: number[], transpose: boolean): Dim[] {
  const n = x.length - 2;
  const strides = node.ints('strides') ?? new Array<number>(n).fill(1);
  const dil = node.ints('dilations') ?? new Array<number>(n).fill(1);
  const pads = node.ints('pads') ?? new Array<number>(2 * n).fill(0);
  const autoPad = node.string('auto_pad', 'NOTSET');
  const outShape = node.ints('output_shape');
  const outPad = node.ints('output_padding') ?? new Array<number>(n).fill(0);
  const ceil = node.int('ceil_mode', 0) === 1;
  const same = autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER';
  return x.slice(2).map((d, i) => {
    if (transpose && outShape) return dimAt(outShape, outShape.length - n + i);
    const stride = strides[i];
    // An attribute shorter than the spatial rank (a malformed node) leaves the dimension unknown.
    if (typeof d !== 'number' || stride === undefined) return null;
    if (same) return transpose ? d * stride : Math.ceil(d / stride);
    const [size, dilation, padBegin, padEnd, extra] = [kernel[i], dil[i], pads[i], pads[i + n], outPad[i]];
    if (size === undefined || dilation === undefined) return null;
    const k = (size - 1) * dilation + 1;
    if (!transpose && autoPad === 'VALID') return Math.floor((d - k) / stride) + 1;
    if (padBegin === undefined || padEnd === undefined) return null;
    if (transpose) return extra === undefined ? null : stride * (d - 1) + extra + k - padBegin - padEnd;
    const span = d + padBegin + padEnd - k;
    return (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  });
}

/**
 * The size of Reshape's -1 entry: the product of `whole` divided by the product of `part`, where
 * symbolic dimensions cancel by name (`[batch,16,64]` over `[batch,4]` is 256). Null when it does
 * not divide out.
 */
function quotient(whole: readonly Dim[], part: readonly Dim[]): Dim {
  let numeric = 1;
  const names = new Map<string, number>();
  for (const d of whole) {
    if (d === null) return null;
    if (typeof d === 'number') numeric *= d;
    else names.set(d, (names.get(d) ?? 0) + 1);
  }
  let divisor = 1;
  for (const d of part) {
    if (d === null) return null;
    if (typeof d === 'number') divisor *= d;
    else {
      const left = names.get(d) ?? 0;
      if (left === 0) return null;
      names.set(d, left - 1);
    }
  }
  if ([...names.values()].some((n) => n > 0) || divisor === 0 || numeric % divisor !== 0) return null;
  return numeric / divisor;
}

/** Range(start, limit, delta) has max(ceil((limit − start) / delta), 0) elements; null unless all three are known constants. */
function rangeLength(ins: Array<TensorInfo | undefined>): Dim {
  const [start, limit, delta] = [0, 1, 2].map((i) => ins[i]?.values?.[0] ?? ins[i]?.floats?.[0]);
  // an open limit counted from 0 in steps of 1 (positions over an input's own length) is that many entries
  const openLimit = ins[1]?.dims?.[0];
  if (start === 0 && delta === 1 && limit === undefined && typeof openLimit === 'string') return openLimit;
  if (start === undefined || limit === undefined || delta === undefined || delta === 0) return null;
  const length = Math.max(Math.ceil((limit - start) / delta), 0);
  return Number.isFinite(length) ? length : null;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Length of Shape's output: the `start`…`end` slice of the input's dimensions (opset 15), clamped to the rank. */
function shapeLength(node: Node, rank: number): number {
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  return Math.max(0, clamp(node.int('end', rank)) - clamp(node.int('start', 0)));
}

/**
 * Output dtypes/shapes of `node` from what is known about its inputs, or `undefined`. Outputs whose
 * dtype the operator fixes (Shape, comparisons, ArgMax, …) get it even when the inputs are unknown.
 */
export function inferOp(node: Node, opset: number, info: Info): OpShapes | undefined {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
  let outs: OpShapes | undefined;
  try {
    outs = fromInputs(node, opset, info);
  } catch {
    outs = undefined; // a malformed node: only what the operator fixes is known
  }
  return withFixedDtypes(node, outs);
}

function fromInputs(node: Node, opset: number, info: Info): OpShapes | undefined {
  const ins = node.inputs.map((v) => info(v));
  const a = ins[0];
  const op = node.opType;
  if (op === 'Constant') {
    const t = node.tensor('value');
    return t ? [{ dtype: t.dtype, shape: [...t.dims] }] : undefined;
  }
  if (op === 'If') return ifOutputs(node);
  if (BROADCAST.has(op)) {
    // Where's first input is the condition; the others give the dtype (a comparison's is fixed later)
    const dtype = (op === 'Where' ? ins.slice(1) : ins).find((i) => i !== undefined)?.dtype;
    return dtype ? [{ dtype, shape: broadcast(ins.map((i) => i?.shape)) }] : undefined;
  }
  if (!a) return undefined;
  if (op === 'Range') return [{ dtype: a.dtype, shape: [rangeLength(ins)] }];
  const s = a.shape;
  if (SAME_AS_INPUT.has(op)) {
    const dtype = op === 'QuantizeLinear' ? (ins[2]?.dtype ?? 'uint8') : op === 'DequantizeLinear' ? (ins[1]?.dtype ?? 'float32') : a.dtype;
    return [{ dtype, shape: s }];
  }
  if (op === 'DynamicQuantizeLinear')
    return [
      { dtype: 'uint8', shape: s },
      { dtype: 'float32', shape: [] },
      { dtype: 'uint8', shape: [] },
    ];
  if (op === 'Cast') {
    const to = node.int('to', 0);
    const names: DType[] = [
      'undefined',
      'float32',
      'uint8',
      'int8',
      'uint16',
      'int16',
      'int32',
      'int64',
      'string',
      'bool',
      'float16',
      'float64',
      'uint32',
      'uint64',
    ];
    return names[to] ? [{ dtype: names[to], shape: s }] : undefined;
  }
  if (op === 'Shape') return [{ dtype: 'int64', shape: [s ? shapeLength(node, s.length) : null] }];
  if (op === 'Size') return [{ dtype: 'int64', shape: [] }];
  if (!s) return undefined;
  const rank = s.length;
  switch (op) {
    case 'NonZero':
      return [{ dtype: 'int64', shape: [rank, null] }];
    case 'TopK': {
      const axis = normAxis(node.int('axis', -1), rank);
      const k = opset >= 10 ? ins[1]?.values?.[0] : node.int('k', 0);
      const shape = s.map((d, i) => (i === axis ? (k ?? null) : d));
      return [
        { dtype: a.dtype, shape },
        { dtype: 'int64', shape },
      ];
    }
    case 'Conv':
    case 'ConvInteger':
    case 'QLinearConv': {
      const w = op === 'QLinearConv' ? ins[3] : ins[1];
      if (!w?.shape || w.shape.some((d) => typeof d !== 'number')) return undefined;
      const kernel = node.ints('kernel_shape') ?? (w.shape.slice(2) as number[]);
      const dtype = op === 'ConvInteger' ? 'int32' : op === 'QLinearConv' ? (ins[7]?.dtype ?? a.dtype) : a.dtype;
      return [{ dtype, shape: [dimAt(s, 0), dimAt(w.shape, 0), ...convSpatial(node, s, kernel, false)] }];
    }
    case 'ConvTranspose': {
      const w = ins[1];
      if (!w?.shape || w.shape.some((d) => typeof d !== 'number')) return undefined;
      const kernel = node.ints('kernel_shape') ?? (w.shape.slice(2) as number[]);
      return [
        { dtype: a.dtype, shape: [dimAt(s, 0), mul(dimAt(w.shape, 1), node.int('group', 1)), ...convSpatial(node, s, kernel, true)] },
      ];
    }
    case 'Gemm': {
      const b = ins[1];
      if (!b?.shape || rank !== 2) return undefined;
      const m = dimAt(s, node.int('transA', 0) ? 1 : 0);
      const n = dimAt(b.shape, node.int('transB', 0) ? 0 : 1);
      return [{ dtype: a.dtype, shape: [m, n] }];
    }
    case 'MatMul':
    case 'MatMulInteger':
    case 'QLinearMatMul': {
      const b = op === 'QLinearMatMul' ? ins[3] : ins[1];
      if (!b?.shape) return undefined;
      const sa = rank === 1 ? [1, dimAt(s, 0)] : s;
      const sb = b.shape.length === 1 ? [dimAt(b.shape, 0), 1] : b.shape;
      const batch = broadcast([sa.slice(0, -2), sb.slice(0, -2)]) ?? [];
      const shape = [
        ...batch,
        ...(rank === 1 ? [] : [dimAt(sa, sa.length - 2)]),
        ...(b.shape.length === 1 ? [] : [dimAt(sb, sb.length - 1)]),
      ];
      const dtype = op === 'MatMulInteger' ? 'int32' : op === 'QLinearMatMul' ? (ins[7]?.dtype ?? a.dtype) : a.dtype;
      return [{ dtype, shape }];
    }
    case 'Flatten': {
      const axis = normAxis(node.int('axis', 1), rank);
      const prod = (ds: Dim[]): Dim => (ds.length === 1 ? dimAt(ds, 0) : ds.reduce<Dim>((x, y) => mul(x, y), 1));
      return [{ dtype: a.dtype, shape: [prod(s.slice(0, axis)), prod(s.slice(axis))] }];
    }
    case 'Reshape': {
      const target = ins[1]?.values ?? ins[1]?.dims;
      if (!target) return undefined;
      const allowZero = node.int('allowzero', 0) === 1;
      const out: Dim[] = target.map((d, i) => (d === 0 && !allowZero ? (s[i] ?? null) : d));
      const minus = out.indexOf(-1);
      if (minus >= 0) out[minus] = quotient(s, [...out.slice(0, minus), ...out.slice(minus + 1)]);
      return [{ dtype: a.dtype, shape: out }];
    }
    case 'Transpose': {
      const perm = node.ints('perm') ?? s.map((_, i) => rank - 1 - i);
      return [{ dtype: a.dtype, shape: perm.map((p) => dimAt(s, p)) }];
    }
    case 'Concat': {
      const axis = normAxis(node.int('axis', 0), rank);
      const shapes = ins.map((i) => i?.shape);
      if (!shapes.every((sh): sh is Dim[] => sh?.length === rank)) return undefined;
      const shape = [...s];
      shape[axis] = shapes.reduce<Dim>((sum, sh) => {
        const d = sh[axis];
        return typeof sum === 'number' && typeof d === 'number' ? sum + d : null;
      }, 0);
      return [{ dtype: a.dtype, shape }];
    }
    case 'Squeeze': {
      const axes = (opset >= 13 ? ins[1]?.values : node.ints('axes'))?.map((x) => normAxis(x, rank));
      if (!axes && (opset < 13 ? false : node.inputs.length > 1)) return undefined;
      return [{ dtype: a.dtype, shape: axes ? s.filter((_, i) => !axes.includes(i)) : s.filter((d) => d !== 1) }];
    }
    case 'Unsqueeze': {
      const raw = opset >= 13 ? ins[1]?.values : node.ints('axes');
      if (!raw) return undefined;
      const outRank = rank + raw.length;
      const axes = raw.map((x) => normAxis(x, outRank));
      const shape: Dim[] = [];
      let j = 0;
      for (let i = 0; i < outRank; i++) shape.push(axes.includes(i) ? 1 : dimAt(s, j++));
      return [{ dtype: a.dtype, shape }];
    }
    case 'Gather': {
      const idx = ins[1]?.shape;
      if (!idx) return undefined;
      const axis = normAxis(node.int('axis', 0), rank);
      return [{ dtype: a.dtype, shape: [...s.slice(0, axis), ...idx, ...s.slice(axis + 1)] }];
    }
    case 'Pad': {
      const pads = opset >= 11 ? ins[1]?.values : (node.ints('pads') ?? node.ints('paddings'));
      const axes = ins[3]?.values?.map((x) => normAxis(x, rank)) ?? s.map((_, i) => i);
      if (!pads || pads.length !== 2 * axes.length) return [{ dtype: a.dtype, shape: s.map(() => null) }];
      const shape = [...s];
      axes.forEach((ax, i) => {
        const [d, before, after] = [shape[ax], pads[i], pads[i + axes.length]];
        shape[ax] = typeof d === 'number' && before !== undefined && after !== undefined ? d + before + after : null;
      });
      return [{ dtype: a.dtype, shape }];
    }
    case 'Slice': {
      const starts = opset >= 10 ? ins[1]?.values : node.ints('starts');
      const ends = opset >= 10 ? ins[2]?.values : node.ints('ends');
      if (!starts || !ends) return [{ dtype: a.dtype, shape: s.map(() => null) }];
      const axes = (opset >= 10 ? ins[3]?.values : node.ints('axes')) ?? starts.map((_, i) => i);
      const steps = (opset >= 10 ? ins[4]?.values : undefined) ?? starts.map(() => 1);
      const shape = [...s];
      axes.forEach((raw, i) => {
        const ax = normAxis(raw, rank);
        const [d, start, end, step] = [s[ax], starts[i], ends[i], steps[i]];
        if (typeof d !== 'number' || start === undefined || end === undefined || step === undefined) {
          shape[ax] = null;
          return;
        }
        const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
        const norm = (v: number): number => (v < 0 ? v + d : v);
        const st = step > 0 ? clamp(norm(start), 0, d) : clamp(norm(start), -1, d - 1);
        const en = step > 0 ? clamp(norm(end), 0, d) : clamp(norm(end), -1, d - 1);
        shape[ax] = Math.max(0, Math.ceil((en - st) / step));
      });
      return [{ dtype: a.dtype, shape }];
    }
    case 'Expand': {
      const target = ins[1]?.values ?? ins[1]?.dims;
      return target ? [{ dtype: a.dtype, shape: broadcast([s, target]) }] : undefined;
    }
    case 'Tile': {
      const reps = ins[1]?.values;
      return [{ dtype: a.dtype, shape: s.map((d, i) => mul(d, reps?.[i] ?? null)) }];
    }
    case 'Split': {
      const axis = normAxis(node.int('axis', 0), rank);
      const sizes = (opset >= 13 ? ins[1]?.values : node.ints('split')) ?? undefined;
      const n = node.outputs.length;
      const d = s[axis];
      return node.outputs.map((_, i) => {
        const shape = [...s];
        shape[axis] = sizes ? (sizes[i] ?? null) : typeof d === 'number' && d % n === 0 ? d / n : null;
        return { dtype: a.dtype, shape };
      });
    }
    case 'Resize':
    case 'Upsample':
      return [{ dtype: a.dtype, shape: resized(node, opset, s, ins) }];
    case 'ConstantOfShape':
      return [
        {
          dtype: node.tensor('value')?.dtype ?? 'float32',
          shape: a.values ?? a.dims ?? (typeof s[0] === 'number' ? new Array<Dim>(s[0]).fill(null) : undefined),
        },
      ];
    case 'LSTM':
    case 'GRU':
    case 'RNN': {
      const hidden = node.int('hidden_size', 0);
      const dirs = node.string('direction', 'forward') === 'bidirectional' ? 2 : 1;
      const batchFirst = node.int('layout', 0) === 1;
      const [seq, batch] = batchFirst ? [dimAt(s, 1), dimAt(s, 0)] : [dimAt(s, 0), dimAt(s, 1)];
      const y: Dim[] = batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
      const h: Dim[] = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
      return [
        { dtype: a.dtype, shape: y },
        { dtype: a.dtype, shape: h },
        { dtype: a.dtype, shape: h },
      ];
    }
  }
  if (POOLS.has(op)) {
    const kernel = node.ints('kernel_shape');
    if (!kernel) return undefined;
    return [
      { dtype: a.dtype, shape: [dimAt(s, 0), dimAt(s, 1), ...convSpatial(node, s, kernel, false)] },
      { dtype: 'int64', shape: [dimAt(s, 0), dimAt(s, 1), ...convSpatial(node, s, kernel, false)] },
    ];
  }
  if (GLOBAL_POOLS.has(op)) return [{ dtype: a.dtype, shape: [dimAt(s, 0), dimAt(s, 1), ...s.slice(2).map(() => 1)] }];
  if (REDUCE.test(op)) {
    const keep = node.int('keepdims', 1) === 1;
    const fromInput = op.startsWith('Reduce') && (opset >= 18 || (op === 'ReduceSum' && opset >= 13));
    const axesRaw = op.startsWith('ArgM') ? [node.int('axis', 0)] : fromInput ? ins[1]?.values : node.ints('axes');
    if (fromInput && node.inputs.length > 1 && !axesRaw) return undefined;
    const axes = (axesRaw ?? s.map((_, i) => i)).map((x) => normAxis(x, rank));
    const shape = keep ? s.map((d, i) => (axes.includes(i) ? 1 : d)) : s.filter((_, i) => !axes.includes(i));
    return [{ dtype: op.startsWith('ArgM') ? 'int64' : a.dtype, shape }];
  }
  return undefined;
}

/** Resize/Upsample: the `sizes` input, else floor(dim × scale) per axis (unknown when neither is constant). */
function resized(node: Node, opset: number, s: Dim[], ins: (TensorInfo | undefined)[]): Dim[] {
  const rank = s.length;
  const axes = (node.ints('axes') ?? s.map((_, i) => i)).map((x) => normAxis(x, rank));
  const resize11 = node.opType === 'Resize' && opset >= 11;
  const sizes = resize11 ? ins[3]?.values : undefined;
  const scales = node.opType === 'Upsample' && opset < 9 ? node.floats('scales') : ins[resize11 ? 2 : 1]?.floats;
  const out: Dim[] = [...s];
  if (sizes && sizes.length === axes.length) axes.forEach((ax, i) => (out[ax] = sizes[i] ?? null));
  else if (scales && scales.length === axes.length)
    axes.forEach((ax, i) => {
      const d = s[ax];
      const f = scales[i];
      out[ax] = typeof d === 'number' && f !== undefined ? Math.floor(d * f) : f === 1 ? (d ?? null) : null;
    });
  else return s.map(() => null);
  return out;
}

/** If: each output has the type both branches agree on (differing dims become unknown). */
function ifOutputs(node: Node): OpShapes | undefined {
  const [thenBranch, elseBranch] = [node.attribute('then_branch'), node.attribute('else_branch')];
  if (thenBranch?.value.kind !== 'graph' || elseBranch?.value.kind !== 'graph') return undefined;
  const a = thenBranch.value.value.outputs;
  const b = elseBranch.value.value.outputs;
  return node.outputs.map((_, i) => {
    const ta = a[i]?.type;
    const tb = b[i]?.type;
    if (ta?.kind !== 'tensor' || tb?.kind !== 'tensor' || ta.dtype !== tb.dtype) return undefined;
    const [sa, sb] = [ta.shape, tb.shape];
    if (!sa || !sb || sa.length !== sb.length) return { dtype: ta.dtype, shape: undefined };
    return { dtype: ta.dtype, shape: sa.map((d, j) => (d === sb[j] ? d : null)) };
  });
}
