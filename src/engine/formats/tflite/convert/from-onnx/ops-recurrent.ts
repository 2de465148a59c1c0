// ONNX LSTM and GRU in TFLite.
//
// LSTM → UNIDIRECTIONAL_SEQUENCE_LSTM when TFLite's op computes the same thing: forward or reverse
// direction, or both (two ops, the second on the reversed sequence, outputs concatenated), sigmoid gates with one cell activation (tanh or relu), no clip, a zero initial state
// (TFLite keeps the state in variable tensors that start at zero), and the final cell state unused.
// ONNX stacks the gates as i, o, f, c; TFLite takes one tensor per gate (i, f, c, o), and one bias
// per gate (ONNX's input and recurrent biases summed). Y_h is the last step of the output.
// A constant initial hidden state h₀ ≠ 0 only adds R·h₀ to the gates of the first step, so it becomes
// one more input column per batch row, set only at the first step (x' = [x, e], W' = [W, R·h₀]):
//   gates₁ = W·x₁ + (R·h₀)·1 + b,   gatesₜ = W·xₜ + (R·h₀)·0 + R·hₜ₋₁ + b   (t > 1, with h₀ = 0 inside)
//
// Otherwise (and always for GRU, which TFLite lacks) the steps are written out, one after the other:
//   LSTM: g = x·Wᵀ + h·Rᵀ + b;  i, o, f, c̃ = split(g);  i = σ(i + p_i⊙c), f = σ(f + p_f⊙c)
//         c = f⊙c + i⊙act(c̃);   o = σ(o + p_o⊙c);  h = o⊙act(c)
//   GRU:  z = σ(x·W_zᵀ + h·R_zᵀ + b_z), r = σ(…_r),
//         h̃ = tanh(x·W_hᵀ + (r⊙h)·R_hᵀ + b_h)   (linear_before_reset: r⊙(h·R_hᵀ + Rb_h)),
//         h = h̃ + z⊙(h − h̃)
import type { Value } from '../../../../ir/value';
import { cannot } from '../op-context';
import type { OnnxOpContext } from './context';
import { constantNumbers, narrowedBytes } from './narrow';
import type { OnnxConverter } from './ops-elementwise';

/** Slice `rows` [from, from + count) of a constant [dir, rows, cols] ONNX tensor for direction `dir`, as float32. */
function rows(ctx: OnnxOpContext, input: number, dir: number, from: number, count: number): Float32Array {
  const t = ctx.constant(input) ?? cannot('recurrent weights must be constants');
  const { dtype, bytes } = narrowedBytes(t);
  if (dtype !== 'float32') cannot(`recurrent weights of type ${t.dtype} are not supported`);
  // a copy: `bytes` may be a view into a larger (file) buffer, at any offset
  const data = new Float32Array(new Uint8Array(bytes).buffer);
  // [dirs, rows, cols] weights; [dirs, width] biases and peepholes are one row per direction
  const [, height = 1, width = 1] = t.dims.length === 3 ? t.dims : [t.dims[0] ?? 1, 1, t.dims[1] ?? 1];
  const start = (dir * height + from) * width;
  return data.slice(start, start + count * width);
}

function biasOf(ctx: OnnxOpContext, dir: number, gates: number, hidden: number): Float32Array {
  const b = ctx.has(3) ? rows(ctx, 3, dir, 0, 1) : new Float32Array(2 * gates * hidden);
  return Float32Array.from({ length: gates * hidden }, (_, k) => (b[k] ?? 0) + (b[k + gates * hidden] ?? 0));
}

function isZero(ctx: OnnxOpContext, i: number): boolean {
  if (!ctx.has(i)) return true;
  const t = ctx.constant(i);
  return t !== undefined && constantNumbers(t).every((v) => v === 0);
}

interface Activation {
  apply(x: Value, out: Value): Value;
}

function activation(ctx: OnnxOpContext, name: string, index: number): Activation {
  const alphas = ctx.node.attribute('activation_alpha');
  const betas = ctx.node.attribute('activation_beta');
  const alpha = alphas?.value.kind === 'floats' ? alphas.value.value[index] : undefined;
  const beta = betas?.value.kind === 'floats' ? betas.value.value[index] : undefined;
  const em = ctx.em;
  switch (name.toLowerCase()) {
    case 'sigmoid':
      return { apply: (x, out) => em.op('LOGISTIC', [x], out) };
    case 'tanh':
      return { apply: (x, out) => em.op('TANH', [x], out) };
    case 'relu':
      return { apply: (x, out) => em.op('RELU', [x], out) };
    case 'hardsigmoid':
      return {
        apply: (x, out) => {
          const shape = out.type?.kind === 'tensor' && out.type.shape ? out.type.shape.map(Number) : [1];
          const ax = em.op('MUL', [x, em.float32('alpha', [alpha ?? 0.2], [])], em.value(`${out.name}_ax`, shape));
          const axb = em.op('ADD', [ax, em.float32('beta', [beta ?? 0.5], [])], em.value(`${out.name}_axb`, shape));
          const low = em.op('MAXIMUM', [axb, em.float32('zero', [0], [])], em.value(`${out.name}_lo`, shape));
          return em.op('MINIMUM', [low, em.float32('one', [1], [])], out);
        },
      };
    default:
      return cannot(`recurrent activation '${name}' is not supported`);
  }
}

function activations(ctx: OnnxOpContext, defaults: string[], directions: number): string[] {
  const a = ctx.node.attribute('activations');
  const names = a?.value.kind === 'strings' ? a.value.value.map((s) => new TextDecoder().decode(s)) : [];
  return Array.from({ length: defaults.length * directions }, (_, i) => names[i] ?? defaults[i % defaults.length] ?? 'Tanh');
}

interface Dims {
  seq: number;
  batch: number;
  input: number;
  hidden: number;
  directions: number;
  /** ONNX layout 1: [batch, seq, …] instead of [seq, batch, …]. */
  batchFirst: boolean;
}

function dimsOf(ctx: OnnxOpContext): Dims {
  const batchFirst = ctx.node.int('layout', 0) === 1;
  const [a = 1, b = 1, input = 1] = ctx.shape(0);
  const direction = ctx.node.string('direction', 'forward');
  const directions = direction === 'bidirectional' ? 2 : 1;
  const hidden = ctx.node.int('hidden_size', 0) || (ctx.shape(2)[2] ?? cannot('hidden_size is missing'));
  return { seq: batchFirst ? b : a, batch: batchFirst ? a : b, input, hidden, directions, batchFirst };
}

function checkSequenceLengths(ctx: OnnxOpContext, d: Dims): void {
  if (!ctx.has(4)) return;
  const lengths = ctx.numbers(4, 'sequence_lens');
  if (!lengths.every((l) => l === d.seq)) cannot('sequences of different lengths (sequence_lens) are not supported');
}

/** The X input as [seq, batch, input] (time major). */
function timeMajorInput(ctx: OnnxOpContext, d: Dims): Value {
  const x = ctx.input(0);
  return d.batchFirst ? ctx.transpose(x, [d.batch, d.seq, d.input], [1, 0, 2]) : x;
}

/** Places per-direction sequences [seq, batch, hidden] as ONNX Y ([seq, dirs, batch, hidden], or layout 1's [batch, seq, dirs, hidden]). */
function placeSequence(ctx: OnnxOpContext, d: Dims, perDirection: Value[]): void {
  if (!ctx.used(0)) return;
  const { em } = ctx;
  const stacked = perDirection.map((y) => ctx.reshape(y, [d.seq, 1, d.batch, d.hidden]));
  const all =
    stacked.length === 1
      ? (stacked[0] ?? cannot('no direction'))
      : em.op('CONCATENATION', stacked, em.value(`${ctx.base}_y`, [d.seq, d.directions, d.batch, d.hidden]), { axis: 1 });
  if (d.batchFirst) ctx.alias(0, all, [1, 0, 2, 3]);
  else ctx.alias(0, all);
}

/** Places per-direction final states [batch, hidden] as ONNX output `index` ([dirs, batch, hidden], or [batch, dirs, hidden]). */
function placeState(ctx: OnnxOpContext, d: Dims, index: number, states: Value[]): void {
  if (!ctx.used(index)) return;
  const { em } = ctx;
  const stacked = states.map((h) => ctx.reshape(h, [1, d.batch, d.hidden]));
  const all =
    stacked.length === 1
      ? (stacked[0] ?? cannot('no direction'))
      : em.op('CONCATENATION', stacked, em.value(`${ctx.base}_state${index}`, [d.directions, d.batch, d.hidden]), { axis: 0 });
  if (d.batchFirst) ctx.alias(index, all, [1, 0, 2]);
  else ctx.alias(index, all);
}

/** The initial state of direction `dir` from input `i` ([batch, hidden]), zeros when absent. */
function initialState(ctx: OnnxOpContext, d: Dims, i: number, dir: number): Value {
  const { em } = ctx;
  if (!ctx.has(i)) return em.float32(`${ctx.base}_zero${i}`, new Float32Array(d.batch * d.hidden), [d.batch, d.hidden]);
  const full = ctx.input(i);
  const shape = d.batchFirst ? [d.batch, d.directions, d.hidden] : [d.directions, d.batch, d.hidden];
  const begin = d.batchFirst ? [0, dir, 0] : [dir, 0, 0];
  const size = d.batchFirst ? [d.batch, 1, d.hidden] : [1, d.batch, d.hidden];
  const one =
    shape[0] === 1 && !d.batchFirst
      ? full
      : em.op('SLICE', [full, em.int32(begin), em.int32(size)], em.value(`${ctx.base}_init${i}_${dir}`, size));
  return ctx.reshape(one, [d.batch, d.hidden]);
}

/** x·Wᵀ + bias for every step at once: [seq, batch, gates·hidden] sliced per step. */
function inputProjection(ctx: OnnxOpContext, d: Dims, dir: number, gates: number, bias: Float32Array | undefined): (t: number) => Value {
  const { em, base } = ctx;
  const x = ctx.reshape(timeMajorInput(ctx, d), [d.seq * d.batch, d.input]);
  const w = em.float32(`${base}_W${dir}`, rows(ctx, 1, dir, 0, gates * d.hidden), [gates * d.hidden, d.input]);
  const b = bias ? em.float32(`${base}_Wb${dir}`, bias, [gates * d.hidden]) : undefined;
  const xw = em.op('FULLY_CONNECTED', [x, w, b], em.value(`${base}_xw${dir}`, [d.seq * d.batch, gates * d.hidden]), {
    keep_num_dims: false,
  });
  return (t) =>
    d.seq === 1
      ? xw
      : em.op(
          'SLICE',
          [xw, em.int32([t * d.batch, 0]), em.int32([d.batch, gates * d.hidden])],
          em.value(`${base}_x${dir}_${t}`, [d.batch, gates * d.hidden]),
        );
}

function splitGates(ctx: OnnxOpContext, g: Value, d: Dims, names: string[]): Value[] {
  const outs = names.map((n) => ctx.em.value(`${g.name}_${n}`, [d.batch, d.hidden]));
  return ctx.em.opN('SPLIT', [ctx.em.int32([1], []), g], outs, { num_splits: names.length });
}

function unrolledLstm(ctx: OnnxOpContext, d: Dims): void {
  const { em, base } = ctx;
  if (ctx.node.int('input_forget', 0)) cannot('coupled input and forget gates (input_forget) are not supported');
  const clip = ctx.node.attribute('clip');
  if (clip) cannot('the LSTM clip attribute is not supported');
  const names = activations(ctx, ['Sigmoid', 'Tanh', 'Tanh'], d.directions);
  const H = d.hidden;
  const ys: Value[] = [];
  const hs: Value[] = [];
  const cs: Value[] = [];
  const shape = [d.batch, H];
  const v = (name: string): Value => em.value(`${base}_${name}`, shape);
  for (let dir = 0; dir < d.directions; dir++) {
    const [f, g, h] = [0, 1, 2].map((k) => activation(ctx, names[dir * 3 + k] ?? 'Tanh', dir * 3 + k));
    if (!f || !g || !h) cannot('missing activations');
    const reverse = ctx.node.string('direction', 'forward') === 'reverse' || dir === 1;
    const step = inputProjection(ctx, d, dir, 4, biasOf(ctx, dir, 4, H));
    const r = em.float32(`${base}_R${dir}`, rows(ctx, 2, dir, 0, 4 * H), [4 * H, H]);
    const p = ctx.has(7) ? rows(ctx, 7, dir, 0, 1) : undefined;
    const peep = (k: number): Value | undefined => (p ? em.float32(`${base}_P${dir}_${k}`, p.slice(k * H, (k + 1) * H), [H]) : undefined);
    const [pi, po, pf] = [peep(0), peep(1), peep(2)];
    let hPrev = initialState(ctx, d, 5, dir);
    let cPrev = initialState(ctx, d, 6, dir);
    const outs = new Array<Value>(d.seq);
    for (let n = 0; n < d.seq; n++) {
      const t = reverse ? d.seq - 1 - n : n;
      const s = `${dir}_${t}`;
      const hr = em.op('FULLY_CONNECTED', [hPrev, r, undefined], em.value(`${base}_hr${s}`, [d.batch, 4 * H]), { keep_num_dims: false });
      const gates = em.op('ADD', [step(t), hr], em.value(`${base}_g${s}`, [d.batch, 4 * H]));
      const [gi, go, gf, gc] = splitGates(ctx, gates, d, ['i', 'o', 'f', 'c']);
      if (!gi || !go || !gf || !gc) cannot('gate split failed');
      const withPeep = (x: Value, peephole: Value | undefined, c: Value, name: string): Value =>
        peephole ? em.op('ADD', [x, em.op('MUL', [peephole, c], v(`${name}p${s}`))], v(`${name}pp${s}`)) : x;
      const i = f.apply(withPeep(gi, pi, cPrev, 'i'), v(`i${s}`));
      const fg = f.apply(withPeep(gf, pf, cPrev, 'f'), v(`f${s}`));
      const cand = g.apply(gc, v(`cand${s}`));
      const c = em.op('ADD', [em.op('MUL', [fg, cPrev], v(`fc${s}`)), em.op('MUL', [i, cand], v(`ic${s}`))], v(`c${s}`));
      const o = f.apply(withPeep(go, po, c, 'o'), v(`o${s}`));
      const hNew = em.op('MUL', [o, h.apply(c, v(`ca${s}`))], v(`h${s}`));
      outs[t] = hNew;
      hPrev = hNew;
      cPrev = c;
    }
    ys.push(stackSteps(ctx, outs, d, dir));
    hs.push(hPrev);
    cs.push(cPrev);
  }
  placeSequence(ctx, d, ys);
  placeState(ctx, d, 1, hs);
  placeState(ctx, d, 2, cs);
}

/** Steps [batch, hidden] stacked into [seq, batch, hidden]. */
function stackSteps(ctx: OnnxOpContext, steps: Value[], d: Dims, dir: number): Value {
  const out = ctx.em.value(`${ctx.base}_seq${dir}`, [d.seq, d.batch, d.hidden]);
  return ctx.em.op('PACK', steps, out, { values_count: steps.length, axis: 0 });
}

function lstm(ctx: OnnxOpContext): void {
  const d = dimsOf(ctx);
  checkSequenceLengths(ctx, d);
  const names = activations(ctx, ['Sigmoid', 'Tanh', 'Tanh'], d.directions);
  const fusedActivations = Array.from({ length: d.directions }, (_, dir) => {
    const [gate, cell, hidden] = names.slice(dir * 3, dir * 3 + 3).map((name) => name.toLowerCase());
    if (gate !== 'sigmoid' || cell !== hidden) return undefined;
    return cell === 'tanh' ? 4 : cell === 'relu' ? 1 : undefined;
  });
  const fusable =
    fusedActivations.every((activation) => activation !== undefined) &&
    !ctx.node.attribute('clip') &&
    !ctx.node.int('input_forget', 0) &&
    (isZero(ctx, 5) || ctx.constant(5) !== undefined) &&
    isZero(ctx, 6) &&
    !ctx.used(2);
  if (!fusable) {
    unrolledLstm(ctx, d);
    return;
  }
  // A bidirectional LSTM is two sequence LSTMs, the second on the reversed sequence.
  const reverseOnly = ctx.node.string('direction', 'forward') === 'reverse';
  const sequences = fusedActivations.map((activation, dir) => sequenceLstm(ctx, d, dir, reverseOnly || dir === 1, activation ?? 4));
  placeSequence(
    ctx,
    d,
    sequences.map((sequence) => sequence.y),
  );
  if (ctx.used(1))
    placeState(
      ctx,
      d,
      1,
      sequences.map((sequence) => sequence.last()),
    );
}

/**
 * One direction of an ONNX LSTM as UNIDIRECTIONAL_SEQUENCE_LSTM ([seq, batch, H], time major); a
 * reverse direction runs on the reversed sequence and its output is reversed back.
 */
function sequenceLstm(ctx: OnnxOpContext, d: Dims, dir: number, reverse: boolean, fusedActivation: number): { y: Value; last(): Value } {
  const { em } = ctx;
  const base = d.directions === 1 ? ctx.base : `${ctx.base}_d${dir}`;
  const H = d.hidden;
  const gate = (input: number, k: number, width: number, name: string): Value =>
    em.float32(`${base}_${name}`, rows(ctx, input, dir, k * H, H), [H, width]);
  // ONNX gate order i, o, f, c → TFLite's i, f, c, o
  const order = [0, 2, 3, 1];
  const start = isZero(ctx, 5) ? undefined : startColumns(ctx, d, dir);
  const inputWidth = d.input + (start ? d.batch : 0);
  const w = order.map((k) =>
    start ? em.float32(`${base}_W${k}`, start.widen(rows(ctx, 1, dir, k * H, H), k), [H, inputWidth]) : gate(1, k, d.input, `W${k}`),
  );
  const r = order.map((k) => gate(2, k, H, `R${k}`));
  const bias = biasOf(ctx, dir, 4, H);
  const b = order.map((k) => em.float32(`${base}_b${k}`, bias.slice(k * H, (k + 1) * H), [H]));
  const p = ctx.has(7) ? rows(ctx, 7, dir, 0, 1) : undefined;
  // ONNX peepholes are i, o, f; TFLite's are cell-to-input, -forget, -output
  const peep = p ? [0, 2, 1].map((k) => em.float32(`${base}_P${k}`, p.slice(k * H, (k + 1) * H), [H])) : [undefined, undefined, undefined];
  let x = timeMajorInput(ctx, d);
  if (reverse) x = em.op('REVERSE_V2', [x, em.int32([0])], em.value(`${base}_rev`, [d.seq, d.batch, d.input]));
  if (start) x = em.op('CONCATENATION', [x, start.marks], em.value(`${base}_x0`, [d.seq, d.batch, inputWidth]), { axis: 2 });
  const state = em.variable(`${base}_h`, [d.batch, H]);
  const cell = em.variable(`${base}_c`, [d.batch, H]);
  let y = em.value(`${base}_seq`, [d.seq, d.batch, H]);
  em.op(
    'UNIDIRECTIONAL_SEQUENCE_LSTM',
    [x, ...w, ...r, ...peep, ...b, undefined, undefined, state, cell, undefined, undefined, undefined, undefined],
    y,
    { fused_activation_function: fusedActivation, cell_clip: 0, proj_clip: 0, time_major: true },
  );
  if (reverse) y = em.op('REVERSE_V2', [y, em.int32([0])], em.value(`${base}_seqrev`, [d.seq, d.batch, H]));
  const sequence = y;
  return {
    y: sequence,
    last() {
      const lastStep = reverse ? 0 : d.seq - 1;
      const last = em.op(
        'SLICE',
        [sequence, em.int32([lastStep, 0, 0]), em.int32([1, d.batch, H])],
        em.value(`${base}_last`, [1, d.batch, H]),
      );
      return ctx.reshape(last, [d.batch, H]);
    },
  };
}

/**
 * A constant initial hidden state of direction `dir` as extra input columns (one per batch row):
 * `marks` [seq, batch, batch] is 1 at the first step for the row's own column, and `widen` appends
 * R·h₀ of each row to a gate's input weights [H, input].
 */
function startColumns(ctx: OnnxOpContext, d: Dims, dir: number): { marks: Value; widen(w: Float32Array, gate: number): Float32Array } {
  const H = d.hidden;
  // h₀ is [dirs, batch, H], or [batch, dirs, H] in layout 1
  const all = Float32Array.from(constantNumbers(ctx.constant(5) ?? cannot('the initial state must be a constant')));
  const h0At = (row: number, j: number): number =>
    all[d.batchFirst ? (row * d.directions + dir) * H + j : (dir * d.batch + row) * H + j] ?? 0;
  const marks = new Float32Array(d.seq * d.batch * d.batch);
  for (let row = 0; row < d.batch; row++) marks[row * d.batch + row] = 1;
  return {
    marks: ctx.em.float32(`${ctx.base}_start${dir}`, marks, [d.seq, d.batch, d.batch]),
    widen(w, gate) {
      const r = rows(ctx, 2, dir, gate * H, H);
      const wide = new Float32Array(H * (d.input + d.batch));
      for (let unit = 0; unit < H; unit++) {
        wide.set(w.subarray(unit * d.input, (unit + 1) * d.input), unit * (d.input + d.batch));
        for (let row = 0; row < d.batch; row++) {
          let sum = 0;
          for (let j = 0; j < H; j++) sum += (r[unit * H + j] ?? 0) * h0At(row, j);
          wide[unit * (d.input + d.batch) + d.input + row] = sum;
        }
      }
      return wide;
    },
  };
}

function gru(ctx: OnnxOpContext): void {
  const d = dimsOf(ctx);
  checkSequenceLengths(ctx, d);
  if (ctx.node.attribute('clip')) cannot('the GRU clip attribute is not supported');
  const { em, base } = ctx;
  const H = d.hidden;
  const names = activations(ctx, ['Sigmoid', 'Tanh'], d.directions);
  const beforeReset = ctx.node.int('linear_before_reset', 0) !== 0;
  const shape = [d.batch, H];
  const v = (name: string): Value => em.value(`${base}_${name}`, shape);
  const ys: Value[] = [];
  const hs: Value[] = [];
  for (let dir = 0; dir < d.directions; dir++) {
    const [f, g] = [0, 1].map((k) => activation(ctx, names[dir * 2 + k] ?? 'Tanh', dir * 2 + k));
    if (!f || !g) cannot('missing activations');
    const reverse = ctx.node.string('direction', 'forward') === 'reverse' || dir === 1;
    const b = ctx.has(3) ? rows(ctx, 3, dir, 0, 1) : new Float32Array(6 * H);
    // the input bias of every gate, and the recurrent bias of z and r, go with x·Wᵀ; Rb_h stays with h·R_hᵀ
    const xBias = Float32Array.from({ length: 3 * H }, (_, k) => (b[k] ?? 0) + (k < 2 * H ? (b[k + 3 * H] ?? 0) : 0));
    const rbH = em.float32(`${base}_Rbh${dir}`, b.slice(5 * H, 6 * H), [H]);
    const step = inputProjection(ctx, d, dir, 3, xBias);
    const rzr = em.float32(`${base}_Rzr${dir}`, rows(ctx, 2, dir, 0, 2 * H), [2 * H, H]);
    const rh = em.float32(`${base}_Rh${dir}`, rows(ctx, 2, dir, 2 * H, H), [H, H]);
    let hPrev = initialState(ctx, d, 5, dir);
    const outs = new Array<Value>(d.seq);
    for (let n = 0; n < d.seq; n++) {
      const t = reverse ? d.seq - 1 - n : n;
      const s = `${dir}_${t}`;
      const [xz, xr, xh] = splitGates(ctx, step(t), d, ['z', 'r', 'h']);
      if (!xz || !xr || !xh) cannot('gate split failed');
      const hzr = em.op('FULLY_CONNECTED', [hPrev, rzr, undefined], em.value(`${base}_hzr${s}`, [d.batch, 2 * H]), {
        keep_num_dims: false,
      });
      const [hz, hr] = em.opN('SPLIT', [em.int32([1], []), hzr], [v(`hz${s}`), v(`hr${s}`)], { num_splits: 2 });
      if (!hz || !hr) cannot('gate split failed');
      const z = f.apply(em.op('ADD', [xz, hz], v(`zp${s}`)), v(`z${s}`));
      const r = f.apply(em.op('ADD', [xr, hr], v(`rp${s}`)), v(`r${s}`));
      const recurrent = beforeReset
        ? em.op('MUL', [r, em.op('FULLY_CONNECTED', [hPrev, rh, rbH], v(`hh${s}`), { keep_num_dims: false })], v(`rhh${s}`))
        : em.op('FULLY_CONNECTED', [em.op('MUL', [r, hPrev], v(`rh${s}`)), rh, rbH], v(`hh${s}`), { keep_num_dims: false });
      const cand = g.apply(em.op('ADD', [xh, recurrent], v(`cp${s}`)), v(`cand${s}`));
      const hNew = em.op('ADD', [cand, em.op('MUL', [z, em.op('SUB', [hPrev, cand], v(`d${s}`))], v(`zd${s}`))], v(`h${s}`));
      outs[t] = hNew;
      hPrev = hNew;
    }
    ys.push(stackSteps(ctx, outs, d, dir));
    hs.push(hPrev);
  }
  placeSequence(ctx, d, ys);
  placeState(ctx, d, 1, hs);
}

/** Converters for recurrent layers. */
export const RECURRENT_CONVERTERS: Record<string, OnnxConverter> = {
  LSTM: lstm,
  GRU: gru,
};
