import type { Node } from './node';
import type { Dim } from './shape';
import type { TensorInfo } from './shape-inference';
import type { Value } from './value';

/*
 * Shape data propagation: the contents of small integer tensors that carry shapes, followed
 * through the operators exporters use to compute a Reshape or Expand target at run time.
 *
 *   before:  x[batch,16,64] → Shape → Gather(0) → Unsqueeze ┐
 *                                      Constant [4, 16]     ├ Concat → Reshape(x, ·) → ?
 *   after:   the Concat holds [batch, 4, 16] and the Reshape gives [batch, 4, 16]
 *
 * Entries are numbers, symbolic names (a model's open dimensions) or null (unknown). Only
 * scalars and vectors of at most MAX_ELEMENTS entries are followed.
 */

const MAX_ELEMENTS = 64;
type Info = (v: Value | undefined) => TensorInfo | undefined;

const contents = (t: TensorInfo | undefined): Dim[] | undefined => t?.dims ?? t?.values;
const isVector = (t: TensorInfo | undefined): boolean => t?.shape !== undefined && t.shape.length <= 1;

function arithmetic(op: string, a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') {
    if (op === 'Add') return a + b;
    if (op === 'Sub') return a - b;
    if (op === 'Mul') return a * b;
    // ONNX integer Div truncates toward zero.
    if (op === 'Div') return b === 0 ? null : Math.trunc(a / b);
  }
  if ((op === 'Mul' || op === 'Div') && b === 1) return a;
  if (op === 'Mul' && a === 1) return b;
  if ((op === 'Add' || op === 'Sub') && b === 0) return a;
  if (op === 'Add' && a === 0) return b;
  return null;
}

function elementwise(op: string, a: Dim[], b: Dim[]): Dim[] | undefined {
  if (a.length !== b.length && a.length !== 1 && b.length !== 1) return undefined;
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => arithmetic(op, a[a.length === 1 ? 0 : i] ?? null, b[b.length === 1 ? 0 : i] ?? null));
}

// Equal on shape entries, as 1/0: a dimension is never negative, so a symbolic one differs from -1.
function equal(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 1 : 0;
  if (typeof a === 'string' && a === b) return 1;
  if ((typeof a === 'string' && typeof b === 'number' && b < 0) || (typeof b === 'string' && typeof a === 'number' && a < 0)) return 0;
  return null;
}

// Where(condition, x, y) on shape entries: PyTorch's expand writes -1 ("keep this size") as Where(Equal(s, -1), 1, s).
function where(condition: Dim[], x: Dim[], y: Dim[]): Dim[] | undefined {
  const n = Math.max(condition.length, x.length, y.length);
  const at = (v: Dim[], i: number): Dim => v[v.length === 1 ? 0 : i] ?? null;
  if ([condition, x, y].some((v) => v.length !== 1 && v.length !== n)) return undefined;
  return Array.from({ length: n }, (_, i) => {
    const c = at(condition, i);
    if (typeof c === 'number') return c !== 0 ? at(x, i) : at(y, i);
    return at(x, i) === at(y, i) ? at(x, i) : null;
  });
}

function shapeOfInput(node: Node, shape: Dim[]): Dim[] {
  const rank = shape.length;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  return shape.slice(clamp(node.int('start', 0)), clamp(node.int('end', rank)));
}

function gather(node: Node, data: Dim[], indices: TensorInfo | undefined): Dim[] | undefined {
  const idx = indices?.values;
  if (node.int('axis', 0) !== 0 || !idx || !isVector(indices)) return undefined;
  return idx.map((i) => data[i < 0 ? i + data.length : i] ?? null);
}

function slice(node: Node, opset: number, data: Dim[], ins: (TensorInfo | undefined)[]): Dim[] | undefined {
  if (opset < 10) return undefined;
  const [start, end] = [ins[1]?.values?.[0], ins[2]?.values?.[0]];
  const axis = ins[3]?.values?.[0] ?? 0;
  const step = ins[4]?.values?.[0] ?? 1;
  if (start === undefined || end === undefined || (axis !== 0 && axis !== -1) || step !== 1) return undefined;
  const n = data.length;
  const norm = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  return data.slice(norm(start), norm(end));
}

function constantOfShape(node: Node, lengths: TensorInfo | undefined): Dim[] | undefined {
  const length = lengths?.values;
  const fill = node.tensor('value');
  if (!length || length.length !== 1 || length[0]! > MAX_ELEMENTS) return undefined;
  if (fill && fill.dtype !== 'int64' && fill.dtype !== 'int32') return undefined;
  const value = fill ? Number((fill.toTypedArray() as ArrayLike<number | bigint>)[0] ?? 0) : 0;
  return new Array<Dim>(length[0]!).fill(value);
}

/**
 * The contents of `node`'s first output when it is a small integer tensor computed from shapes
 * (Shape, Gather, Slice, Concat, Unsqueeze, Squeeze, Cast, Identity, Add/Sub/Mul/Div,
 * ConstantOfShape, Equal, Where), or undefined.
 */
export function propagateShapeData(node: Node, opset: number, info: Info): Dim[] | undefined {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
  const ins = node.inputs.map((v) => info(v));
  const a = ins[0];
  let out: Dim[] | undefined;
  switch (node.opType) {
    case 'Shape':
      out = a?.shape ? shapeOfInput(node, a.shape) : undefined;
      break;
    case 'Size':
      out = a?.shape?.every((d) => typeof d === 'number') ? [(a.shape as number[]).reduce((x, y) => x * y, 1)] : undefined;
      break;
    case 'Identity':
    case 'Cast':
    case 'Squeeze':
    case 'Unsqueeze':
      out = isVector(a) ? contents(a) : undefined;
      break;
    case 'Gather': {
      const data = contents(a);
      out = data && isVector(a) ? gather(node, data, ins[1]) : undefined;
      break;
    }
    case 'Slice': {
      const data = contents(a);
      out = data && isVector(a) ? slice(node, opset, data, ins) : undefined;
      break;
    }
    case 'Concat': {
      const parts = ins.map(contents);
      out = node.int('axis', 0) === 0 && ins.every(isVector) && parts.every((p) => p) ? parts.flatMap((p) => p ?? []) : undefined;
      break;
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div': {
      const [x, y] = [contents(a), contents(ins[1])];
      out = x && y && isVector(a) && isVector(ins[1]) ? elementwise(node.opType, x, y) : undefined;
      break;
    }
    case 'ConstantOfShape':
      out = constantOfShape(node, a);
      break;
    case 'Equal': {
      const [x, y] = [contents(a), contents(ins[1])];
      out =
        x && y && isVector(a) && isVector(ins[1]) && (x.length === y.length || x.length === 1 || y.length === 1)
          ? Array.from({ length: Math.max(x.length, y.length) }, (_, i) =>
              equal(x[x.length === 1 ? 0 : i] ?? null, y[y.length === 1 ? 0 : i] ?? null),
            )
          : undefined;
      break;
    }
    case 'Where': {
      const [c, x, y] = [contents(a), contents(ins[1]), contents(ins[2])];
      out = c && x && y && ins.every(isVector) ? where(c, x, y) : undefined;
      break;
    }
  }
  if (!out || out.length > MAX_ELEMENTS || out.every((d) => d === null)) return undefined;
  return out;
}
