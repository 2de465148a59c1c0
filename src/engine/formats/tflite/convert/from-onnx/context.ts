import type { DType } from '../../../../ir/dtype';
import type { Node } from '../../../../ir/node';
import type { Tensor } from '../../../../ir/tensor';
import type { Value } from '../../../../ir/value';
import { cannot } from '../op-context';
import { permuteData, type TfliteEmitter } from '../tflite-emitter';
import { constantNumbers, narrowedBytes, tfliteDtype } from './narrow';
import { apply, compose, invert, isIdentity, permKey, simplifyTranspose, type Perm } from './perm';

/**
 * What an ONNX op converter sees. Every ONNX value has a TFLite tensor holding it, possibly with its
 * axes permuted (`layout`): convolutions work in NHWC, so their results stay NHWC until an op needs
 * the ONNX layout, and elementwise ops work in whatever layout their inputs have. Shapes are static
 * (open dimensions were fixed before translating).
 */
export interface OnnxOpContext {
  readonly em: TfliteEmitter;
  readonly node: Node;
  /** A readable base for new TFLite tensor names (the node's first output). */
  readonly base: string;
  /** The ONNX opset of the model (attributes changed meaning between versions). */
  readonly opset: number;
  /** True when input `i` is given (not an empty optional). */
  has(i: number): boolean;
  /** True when output `i` is read by another node or is a model output. */
  used(i: number): boolean;
  /** ONNX shape of input `i` / output `i`. */
  shape(i: number): number[];
  outShape(i: number): number[];
  /** ONNX element type of input `i` / output `i`. */
  dtype(i: number): DType;
  outDtype(i: number): DType;
  /** Constant data of input `i`, when it is a constant. */
  constant(i: number): Tensor | undefined;
  /** Elements of constant input `i` as numbers; the conversion fails (naming `what`) when it is not constant. */
  numbers(i: number, what: string): number[];
  /** The layout input `i` is held in (undefined: the ONNX layout). */
  layout(i: number): Perm;
  /** Input `i` in the ONNX layout. */
  input(i: number): Value;
  /** Input `i` with its axes permuted by `perm` (relative to the ONNX layout). */
  inputIn(i: number, perm: Perm): Value;
  /** A new TFLite tensor for output `i`, held in layout `perm` (default: the ONNX layout). */
  output(i: number, perm?: Perm): Value;
  /** Makes output `i` the TFLite tensor `value`, which holds it in layout `perm`. */
  alias(i: number, value: Value, perm?: Perm): void;
  /**
   * A TFLite constant with the data of `t` (narrowed to TFLite's types), first widened to `rank`
   * dimensions (leading 1s, as broadcasting does), then its axes permuted by `perm`.
   */
  tensor(t: Tensor, perm?: Perm, rank?: number): Value;
  /** A TFLite tensor `value` of `shape` transposed by `perm` (lowered to 5 or fewer dimensions when it can be). */
  transpose(value: Value, shape: readonly number[], perm: readonly number[]): Value;
  /** `value` reshaped to `shape`. */
  reshape(value: Value, shape: readonly number[]): Value;
}

/** Where the TFLite graph holds an ONNX value. */
interface Placement {
  value: Value;
  perm: Perm;
}

const staticShape = (v: Value | undefined, what: string): number[] => {
  const type = v?.initializer ? { shape: v.initializer.dims } : v?.type?.kind === 'tensor' ? v.type : undefined;
  const shape = type?.shape;
  if (!shape) cannot(`the shape of ${what} '${v?.name ?? '?'}' is unknown`);
  return shape.map((d) => (typeof d === 'number' ? d : cannot(`${what} '${v?.name ?? '?'}' has an open dimension '${String(d)}'`)));
};

const dtypeOf = (v: Value | undefined): DType => {
  if (v?.initializer) return v.initializer.dtype;
  return v?.type?.kind === 'tensor' ? v.type.dtype : cannot(`the element type of '${v?.name ?? '?'}' is unknown`);
};

/** The state of one ONNX → TFLite translation: where each ONNX value lives in the TFLite graph. */
export class OnnxTranslation {
  readonly #placed = new Map<Value, Placement>();
  readonly #views = new Map<Value, Map<string, Value>>();
  readonly #constants = new Map<Tensor, Map<string, Value>>();

  constructor(
    readonly em: TfliteEmitter,
    readonly opset: number,
    private readonly read: ReadonlySet<Value> = new Set(),
  ) {}

  /** Declares that ONNX value `onnx` is held by `value` in layout `perm`. */
  place(onnx: Value, value: Value, perm: Perm = undefined): void {
    this.#placed.set(onnx, { value, perm: isIdentity(perm) ? undefined : perm });
  }

  /** True once `onnx` has a TFLite tensor. */
  isPlaced(onnx: Value): boolean {
    return this.#placed.has(onnx);
  }

  placement(onnx: Value): Placement {
    const known = this.#placed.get(onnx);
    if (known) return known;
    if (onnx.initializer) {
      const placed = { value: this.tensor(onnx.initializer), perm: undefined };
      this.#placed.set(onnx, placed);
      return placed;
    }
    return cannot(`'${onnx.name}' is used before it is produced`);
  }

  /** `onnx` held in layout `perm` (a transpose is emitted once and reused). */
  inLayout(onnx: Value, perm: Perm): Value {
    const target = isIdentity(perm) ? undefined : perm;
    if (onnx.initializer && !this.#placed.has(onnx)) return this.tensor(onnx.initializer, target);
    const placed = this.placement(onnx);
    if (permKey(placed.perm) === permKey(target)) return placed.value;
    let views = this.#views.get(onnx);
    if (!views) this.#views.set(onnx, (views = new Map()));
    const cached = views.get(permKey(target));
    if (cached) return cached;
    const shape = staticShape(onnx, 'value');
    const rank = shape.length;
    const from = placed.perm ?? Array.from({ length: rank }, (_, i) => i);
    const to = target ?? Array.from({ length: rank }, (_, i) => i);
    const step = compose(invert(from), to);
    const view = this.transpose(placed.value, apply(shape, placed.perm), step);
    views.set(permKey(target), view);
    return view;
  }

  tensor(t: Tensor, perm: Perm = undefined, rank = t.dims.length): Value {
    let byPerm = this.#constants.get(t);
    if (!byPerm) this.#constants.set(t, (byPerm = new Map()));
    const key = `${rank}:${permKey(perm)}`;
    const known = byPerm.get(key);
    if (known) return known;
    const { dtype, bytes } = narrowedBytes(t);
    const dims = [...new Array<number>(Math.max(0, rank - t.dims.length)).fill(1), ...t.dims];
    const size = dtype === 'bool' || dtype === 'int8' || dtype === 'uint8' ? 1 : dtype === 'int16' ? 2 : 4;
    const value =
      isIdentity(perm) || !perm
        ? this.em.constant(t.name || 'const', dtype, dims, bytes)
        : this.em.constant(`${t.name || 'const'}_t`, dtype, apply(dims, perm), permuteData(bytes, dims, perm, size));
    byPerm.set(key, value);
    return value;
  }

  transpose(value: Value, shape: readonly number[], perm: readonly number[]): Value {
    const outShape = apply(shape, perm);
    const dtype = value.type?.kind === 'tensor' ? value.type.dtype : 'float32';
    if (isIdentity(perm)) return value;
    if (value.initializer) {
      const size = dtype === 'bool' || dtype === 'int8' || dtype === 'uint8' ? 1 : dtype === 'int16' ? 2 : 4;
      return this.em.constant(`${value.name}_t`, dtype, outShape, permuteData(value.initializer.bytes(), shape, perm, size));
    }
    const simple = simplifyTranspose(shape, perm);
    if (isIdentity(simple.perm)) return this.reshape(value, outShape);
    const out = this.em.value(`${value.name}_t`, outShape, dtype);
    if (shape.length <= 5) return this.em.op('TRANSPOSE', [value, this.em.int32(perm)], out);
    if (simple.shape.length > 5)
      cannot(`a transpose of ${shape.length} dimensions that cannot be written with 5 or fewer, which is all TFLite's TRANSPOSE supports`);
    const flat = this.reshape(value, simple.shape);
    const moved = this.em.op(
      'TRANSPOSE',
      [flat, this.em.int32(simple.perm)],
      this.em.value(`${value.name}_t5`, apply(simple.shape, simple.perm), dtype),
    );
    return this.em.op('RESHAPE', [moved, this.em.int32(outShape)], out, { new_shape: outShape });
  }

  reshape(value: Value, shape: readonly number[]): Value {
    const dtype = value.type?.kind === 'tensor' ? value.type.dtype : 'float32';
    if (value.initializer) return this.em.constant(`${value.name}_r`, dtype, shape, value.initializer.bytes());
    const out = this.em.value(`${value.name}_r`, shape, dtype);
    return this.em.op('RESHAPE', [value, this.em.int32(shape)], out, { new_shape: [...shape] });
  }

  /** The context an op converter works with for `node`. */
  context(node: Node): OnnxOpContext {
    const input = (i: number): Value => node.inputs[i] ?? cannot(`input ${i} is missing`);
    const output = (i: number): Value => node.outputs[i] ?? cannot(`output ${i} is missing`);
    const base = node.outputs.find((o) => o)?.name ?? node.opType.toLowerCase();
    const constantOf = (i: number): Tensor | undefined => node.inputs[i]?.initializer;
    return {
      em: this.em,
      node,
      base,
      opset: this.opset,
      has: (i) => node.inputs[i] !== undefined,
      used: (i) => {
        const o = node.outputs[i];
        return o !== undefined && this.read.has(o);
      },
      shape: (i) => staticShape(input(i), `input ${i}`),
      outShape: (i) => staticShape(output(i), `output ${i}`),
      dtype: (i) => dtypeOf(input(i)),
      outDtype: (i) => dtypeOf(output(i)),
      constant: constantOf,
      numbers: (i, what) => {
        const t = constantOf(i) ?? cannot(`${what} must be a constant`);
        return constantNumbers(t);
      },
      layout: (i) => (node.inputs[i]?.initializer ? undefined : this.placement(input(i)).perm),
      input: (i) => this.inLayout(input(i), undefined),
      inputIn: (i, perm) => this.inLayout(input(i), perm),
      output: (i, perm) => {
        const o = output(i);
        const shape = apply(staticShape(o, `output ${i}`), isIdentity(perm) ? undefined : perm);
        const value = this.em.value(isIdentity(perm) ? o.name : `${o.name}_t`, shape, tfliteDtype(dtypeOf(o)));
        this.place(o, value, perm);
        return value;
      },
      alias: (i, value, perm) => this.place(output(i), value, perm),
      tensor: (t, perm, rank) => this.tensor(t, perm, rank),
      transpose: (value, shape, perm) => this.transpose(value, shape, perm),
      reshape: (value, shape) => this.reshape(value, shape),
    };
  }
}
