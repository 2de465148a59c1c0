// TFLite's integer LSTM (int8 input, weights and hidden state, int16 cell state, int32 biases) step by
// step in ONNX integer ops, so the converted model gives the kernel's own integers:
//   UNIDIRECTIONAL_SEQUENCE_LSTM(x, W, R, b, h, c)
//   ⇒  Scan over time, per step (x int8, h int8, c int16; MatMulInteger for the products):
//        gx    = clip16(rescale(x·Wᵀ + b − z_x·ΣW, s_x·s_W / 2⁻¹²))
//        gates = clip16(rescale(h·Rᵀ − z_h·ΣR, s_h·s_R / 2⁻¹²) + gx)      Q3.12
//        i, f, o = logistic(gates), z = tanh(gates)                     gemmlowp int16, as 65536-entry lookups
//        c' = clip(⌊f·c / 2¹⁵⌉ + ⌊i·z / 2^(30+log₂ s_c)⌉)                 halves away from zero
//        h' = clip8(rescale(o·tanh(c'), 2⁻³⁰ / s₄) − z₄)                  (s₄, z₄: the op's fifth intermediate)
// where rescale(a, m) is TFLite's MultiplyByQuantizedMultiplier (a Q31 rounding doubling high multiply, then
// a rounding shift), done in int64 with floor division. The state starts at the stored zero state, or is
// a model input and output when exposed. Only the plain LSTM is written this way (input gate, no peepholes,
// projection or layer normalization, tanh cell); ops-lstm.ts converts the others to an ONNX LSTM.
import type { Value } from '../../../ir/value';
import { tfliteRecord, type TfliteNodeRecord } from '../ir-records';
import { fixedLogistic, fixedTanh, int16Table } from './fixed-point-activations';
import { integerLstmDoc, type IntegerLstmRecord } from './integer-lstm-record';
import { quantizeMultiplier } from './fixed-point';
import { IntegerOps, ONNX_TYPE } from './integer-ops';
import { OnnxEmitter } from './onnx-emitter';
import { tensorFacts, type OpContext } from './op-context';

const GATES = 4;
const INT16: [number, number] = [-32768, 32767];
const INT8: [number, number] = [-128, 127];
const f32 = Math.fround;

/** The constants of one integer LSTM, as the TFLite kernel prepares them. */
interface IntegerLstmPlan {
  steps: number;
  batch: number;
  inputs: number;
  hidden: number;
  /** Stacked weights, transposed for x·Wᵀ: [inputs, 4·hidden] and [hidden, 4·hidden], gates i, f, z, o. */
  w: Int8Array;
  r: Int8Array;
  /** Biases with the zero points folded in, per column. */
  bx: number[];
  bh: number[];
  /** Q31 multiplier and exponent per column, for the input and recurrent products. */
  mx: [number, number][];
  mh: [number, number][];
  hiddenScale: [number, number];
  hiddenZero: number;
  /** log₂ of the cell state's scale. */
  cellScale: number;
  /** The cell state bounds (the clip, or the int16 range). */
  cellBounds: [number, number];
}

function int8Data(ctx: OpContext, i: number): Int8Array | undefined {
  const t = ctx.constant(i);
  return t?.dtype === 'int8' ? new Int8Array(t.bytes().slice().buffer) : undefined;
}

function int32Data(ctx: OpContext, i: number): Int32Array | undefined {
  const t = ctx.constant(i);
  return t?.dtype === 'int32' ? new Int32Array(t.bytes().slice().buffer) : undefined;
}

/** Per-tensor scale and zero point of input `i` (undefined when it has none or one per channel). */
function perTensor(ctx: OpContext, i: number): [number, number] | undefined {
  const q = ctx.facts(i).quantization;
  return q && q.scale.length === 1 ? [q.scale[0], q.zeroPoint[0]] : undefined;
}

/** The kernel's constants, or undefined when the op is not the plain integer LSTM this file writes. */
function plan(ctx: OpContext, timeMajor: boolean): IntegerLstmPlan | undefined {
  const has = (i: number) => ctx.node.inputs.length > i && ctx.has(i);
  if (ctx.facts(0).dtype !== 'int8' || !has(18) || !has(19) || ctx.facts(19).dtype !== 'int16' || ctx.facts(18).dtype !== 'int8') return;
  if (!has(1) || [9, 10, 11, 16, 17, 20, 21, 22, 23].some(has) || ctx.attr('fused_activation_function', 4) !== 4) return;
  if (ctx.attr('diagonal_recurrent_tensors', 0)) return;
  const hiddenFacts = tfliteRecord<TfliteNodeRecord>(ctx.node.extras)?.intermediates?.[4];
  const hq = hiddenFacts && tensorFacts(hiddenFacts).quantization;
  const x = perTensor(ctx, 0);
  const h = perTensor(ctx, 18);
  const c = perTensor(ctx, 19);
  if (!hq || !x || !h || !c || c[1] !== 0) return;
  const cellScale = Math.log2(c[0]);
  if (!Number.isInteger(cellScale) || 15 + cellScale < 0 || 15 + cellScale > 6) return;
  const shape = ctx.facts(0).shape;
  const [hidden, inputs] = ctx.facts(1).shape;
  const batch = timeMajor ? shape[1] : shape[0];
  if (shape.length !== 3 || !hidden || !inputs || !batch || shape[2] !== inputs) return;
  const w = new Int8Array(inputs * GATES * hidden);
  const r = new Int8Array(hidden * GATES * hidden);
  const bx: number[] = [];
  const bh: number[] = [];
  const mx: [number, number][] = [];
  const mh: [number, number][] = [];
  for (let g = 0; g < GATES; g++) {
    const [wi, ri, bi] = [1 + g, 5 + g, 12 + g];
    const wData = int8Data(ctx, wi);
    const rData = int8Data(ctx, ri);
    const sw = perTensor(ctx, wi);
    const sr = perTensor(ctx, ri);
    const bias: Int32Array | undefined = has(bi) ? int32Data(ctx, bi) : new Int32Array(hidden);
    if (!wData || !rData || !sw || !sr || sw[1] !== 0 || sr[1] !== 0 || !bias || bias.length !== hidden) return;
    if (wData.length !== hidden * inputs || rData.length !== hidden * hidden) return;
    const ex = quantizeMultiplier(f32(f32(sw[0] * x[0]) / 2 ** -12));
    const eh = quantizeMultiplier(f32(f32(sr[0] * h[0]) / 2 ** -12));
    for (let row = 0; row < hidden; row++) {
      const col = g * hidden + row;
      let wSum = 0;
      let rSum = 0;
      for (let k = 0; k < inputs; k++) {
        const v = wData[row * inputs + k] ?? 0;
        w[k * GATES * hidden + col] = v;
        wSum += v;
      }
      for (let k = 0; k < hidden; k++) {
        const v = rData[row * hidden + k] ?? 0;
        r[k * GATES * hidden + col] = v;
        rSum += v;
      }
      bx.push((bias[row] ?? 0) - x[1] * wSum);
      bh.push(-h[1] * rSum);
      mx.push(ex);
      mh.push(eh);
    }
  }
  const clip = cellClip(ctx);
  const quantizedClip = clip > 0 ? Math.trunc(Math.min(Math.max(f32(clip / c[0]), INT16[0]), INT16[1])) : 0;
  return {
    steps: (timeMajor ? shape[0] : shape[1]) ?? 1,
    batch,
    inputs,
    hidden,
    w,
    r,
    bx,
    bh,
    mx,
    mh,
    hiddenScale: quantizeMultiplier(f32(f32(2 ** -15 / f32(hq.scale[0])) * 2 ** -15)),
    hiddenZero: hq.zeroPoint[0],
    cellScale,
    cellBounds: quantizedClip > 0 ? [-quantizedClip, quantizedClip] : INT16,
  };
}

/** What ONNX → TFLite needs to give the op back (see integer-lstm-record.ts). */
function record(ctx: OpContext, names: Pick<IntegerLstmRecord, 'w' | 'r' | 'bx'>): IntegerLstmRecord {
  const affine = (i: number) => {
    const [scale, zeroPoint] = perTensor(ctx, i) ?? [1, 0];
    return { scale, zeroPoint };
  };
  const scale = (i: number) => perTensor(ctx, i)?.[0] ?? 1;
  const nodeRecord = tfliteRecord<TfliteNodeRecord>(ctx.node.extras);
  const intermediates = [0, 1, 2, 3, 4].map((k) => {
    const v = nodeRecord?.intermediates?.[k];
    const facts = v && tensorFacts(v);
    const dtype = facts?.dtype;
    return {
      dtype: dtype === 'int8' || dtype === 'int16' || dtype === 'int32' ? dtype : ('float32' as const),
      scale: facts?.quantization?.scale ?? [],
      zeroPoint: facts?.quantization?.zeroPoint ?? [],
    };
  });
  return {
    version: nodeRecord?.code.version ?? 1,
    input: affine(0),
    output: { scale: ctx.outFacts(0).quantization?.scale[0] ?? 1, zeroPoint: ctx.outFacts(0).quantization?.zeroPoint[0] ?? 0 },
    state: affine(18),
    cell: affine(19),
    weights: [1, 2, 3, 4].map(scale),
    recurrent: [5, 6, 7, 8].map(scale),
    biases: [12, 13, 14, 15].map((i) => (ctx.has(i) ? (perTensor(ctx, i)?.[0] ?? null) : null)),
    intermediates,
    cellClip: cellClip(ctx),
    ...names,
  };
}

function cellClip(ctx: OpContext): number {
  const a = ctx.node.attribute('cell_clip');
  return a?.value.kind === 'float' ? a.value.value : a?.value.kind === 'int' ? Number(a.value.value) : 0;
}

function uniform<T>(values: readonly T[]): T[] {
  const [first] = values;
  return first !== undefined && values.every((v) => JSON.stringify(v) === JSON.stringify(first)) ? [first] : [...values];
}

// One copy of each lookup table per graph, shared by the LSTMs in it.
const tables = new WeakMap<OnnxEmitter, Map<string, Value>>();

function lookup(em: OnnxEmitter, name: string, make: () => Int16Array): Value {
  let known = tables.get(em);
  if (!known) tables.set(em, (known = new Map()));
  const cached = known.get(name);
  if (cached) return cached;
  const table = make();
  const value = em.constant(name, 'int16', [table.length], new Uint8Array(table.buffer));
  known.set(name, value);
  return value;
}

/** Writes the integer LSTM as ONNX integer arithmetic; false (nothing emitted) when the op is not one this file handles. */
export function integerLstm(ctx: OpContext): boolean {
  const timeMajor = ctx.attr('time_major', 0) !== 0;
  const p = plan(ctx, timeMajor);
  if (!p) return false;
  const { em, base } = ctx;
  const cols = GATES * p.hidden;
  const xs = timeMajor ? ctx.raw(0) : em.op('Transpose', [ctx.raw(0)], { perm: [1, 0, 2] }, `${base}_tbn`);
  const w = em.constant(`${base}_w`, 'int8', [p.inputs, cols], new Uint8Array(p.w.buffer));
  const r = em.constant(`${base}_r`, 'int8', [p.hidden, cols], new Uint8Array(p.r.buffer));
  const bx = em.constant(`${base}_bx`, 'int64', [cols], new Uint8Array(BigInt64Array.from(p.bx, BigInt).buffer));
  // lookups: logistic for the i, f, o gates and tanh for z (Q3.12), tanh of the cell state (its own Q format)
  const gateTables = lookup(em, 'integer_lstm_gate_lut', () => {
    const table = new Int16Array(2 * 65536);
    table.set(int16Table((v) => fixedLogistic(v, 3)));
    table.set(
      int16Table((v) => fixedTanh(v, 3)),
      65536,
    );
    return table;
  });
  const k = 15 + p.cellScale;
  const cellTanh = lookup(em, `integer_lstm_tanh_q${k}_lut`, () => int16Table((v) => fixedTanh(v, k)));

  const body = new OnnxEmitter(`${base}_integer_lstm_step`, em);
  const step = new IntegerOps(body, `${base}_step`);
  const state = [p.batch, p.hidden];
  const hIn = body.value(`${base}_h_in`, 'int8', state);
  const cIn = body.value(`${base}_c_in`, 'int16', state);
  const xIn = body.value(`${base}_x_in`, 'int8', [p.batch, p.inputs]);
  body.graph.inputs.push(hIn, cIn, xIn);
  const product = (v: Value, weights: Value, name: string) => step.cast(step.op('MatMulInteger', [v, weights], name), 'int64', `${name}64`);
  const accX = step.op('Add', [product(xIn, w, 'xw'), bx], 'xwb');
  const gx = step.clip(step.rescale(accX, uniform(p.mx), 'gx'), INT16, 'gx16');
  const accH = step.op('Add', [product(hIn, r, 'hr'), step.ints(p.bh)], 'hrb');
  const gates = step.clip(step.op('Add', [step.rescale(accH, uniform(p.mh), 'gh'), gx], 'gates_sum'), INT16, 'gates');
  const offsets = Array.from({ length: cols }, (_, k) => 32768 + (Math.floor(k / p.hidden) === 2 ? 65536 : 0));
  const activated = step.cast(
    step.op('Gather', [gateTables, step.op('Add', [gates, step.ints(offsets)], 'lut_index')], 'lut'),
    'int64',
    'act',
  );
  const [i, f, z, o] = body.node('Split', [activated, body.int64([p.hidden, p.hidden, p.hidden, p.hidden])], ['i', 'f', 'z', 'o'], {
    axis: 1,
  });
  const kept = step.roundingShift(step.op('Mul', [f, step.cast(cIn, 'int64', 'c64')], 'fc'), [15], 'keep');
  const added = step.roundingShift(step.op('Mul', [i, z], 'iz'), [30 + p.cellScale], 'add');
  const c = step.clip(step.op('Add', [kept, added], 'c_sum'), p.cellBounds, 'c');
  const tanhC = step.cast(step.op('Gather', [cellTanh, step.op('Add', [c, step.ints([32768])], 'c_index')], 'tanh_c'), 'int64', 'tanh_c64');
  const hidden = step.op(
    'Sub',
    [step.rescale(step.op('Mul', [o, tanhC], 'oc'), [p.hiddenScale], 'h_scaled'), step.ints([p.hiddenZero])],
    'h_zp',
  );
  const hOut = body.value(`${base}_h_out`, 'int8', state);
  const cOut = body.value(`${base}_c_out`, 'int16', state);
  const yOut = body.value(`${base}_y_out`, 'int8', state);
  body.node('Cast', [step.clip(hidden, INT8, 'h8')], [hOut], { to: ONNX_TYPE.int8 });
  body.node('Cast', [c], [cOut], { to: ONNX_TYPE.int16 });
  body.node('Identity', [hOut], [yOut]);
  body.graph.outputs.push(hOut, cOut, yOut);

  const [hLast, cLast, ys] = em.node(
    'Scan',
    [ctx.raw(18), ctx.raw(19), xs],
    [
      em.value(`${base}_h_last`, 'int8', state),
      em.value(`${base}_c_last`, 'int16', state),
      em.value(`${base}_ys`, 'int8', [p.steps, ...state]),
    ],
    { body: { graph: body.graph }, num_scan_inputs: 1 },
  );
  ctx.note(
    `the integer LSTM '${base}' is written as TFLite's integer arithmetic (an ONNX Scan of integer ops, not an ONNX LSTM, which computes in float)`,
  );
  const scan = em.graph.producerOf(ys);
  if (scan) scan.docString = integerLstmDoc(record(ctx, { w: w.name, r: r.name, bx: bx.name }));
  ctx.setStored(0, timeMajor ? ys : em.op('Transpose', [ys], { perm: [1, 0, 2] }, `${base}_bth`));
  if (ctx.stateExposed) {
    ctx.setStoredState(18, hLast);
    ctx.setStoredState(19, cLast);
  }
  return true;
}
