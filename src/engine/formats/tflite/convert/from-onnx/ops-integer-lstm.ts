// The ONNX form of a TFLite integer LSTM (a Scan carrying an integer-lstm-record.ts doc string) back to
// the TFLite op:
//   Scan(h₀ = zero state, c₀ = 0, x [T, B, N] int8) doc_string = record
//   ⇒  UNIDIRECTIONAL_SEQUENCE_LSTM(x, W_i, W_f, W_c, W_o, R_i, …, b_i, …, h, c) with the record's quantization
// W and R are the record's constants [N, 4H] / [H, 4H] cut into one [H, N] / [H, H] tensor per gate; each
// gate bias is the folded input bias with x's zero point taken back out (b = bx + z_x·ΣW). The state is
// TFLite's variable tensors, so the initial state must be the zero state they start from. Any other
// Scan has no TFLite translation.
import type { DType } from '../../../../ir/dtype';
import type { Tensor } from '../../../../ir/tensor';
import type { Value } from '../../../../ir/value';
import { tfliteExtras, type TfliteNodeRecord } from '../../ir-records';
import { readIntegerLstmDoc, type IntegerLstmRecord } from '../integer-lstm-record';
import { cannot } from '../op-context';
import type { OnnxOpContext } from './context';
import { constantNumbers } from './narrow';
import type { OnnxConverter } from './ops-elementwise';

const GATES = 4;
const LSTM_CODE = 44;

function constantNamed(ctx: OnnxOpContext, name: string, dtype: DType): Tensor {
  const t = ctx.node.graph?.value(name)?.initializer;
  if (!t || t.dtype !== dtype) cannot(`the integer LSTM's constant '${name}' (${dtype}) is missing`);
  return t;
}

function quantized(v: Value, scale: number[], zeroPoint: number[]): Value {
  if (scale.length) v.quantization = { scale, zeroPoint: zeroPoint.length ? zeroPoint : scale.map(() => 0), axis: 0 };
  return v;
}

/** Gives `v` the per-tensor quantization `q`, unless it already has another. */
function quantizeAs(v: Value, q: IntegerLstmRecord['input']): void {
  const held = v.quantization;
  if (held && (held.scale.join() !== String(q.scale) || held.zeroPoint.join() !== String(q.zeroPoint)))
    cannot(`'${v.name}' is quantized with other parameters than the integer LSTM reads it with`);
  v.quantization = { scale: [q.scale], zeroPoint: [q.zeroPoint], axis: 0 };
}

/** Gate `g`'s rows of a [width, 4·hidden] column-stacked int8 matrix, as [hidden, width]. */
function gateRows(data: Int8Array, width: number, hidden: number, g: number): Int8Array {
  const out = new Int8Array(hidden * width);
  for (let row = 0; row < hidden; row++)
    for (let k = 0; k < width; k++) out[row * width + k] = data[k * GATES * hidden + g * hidden + row] ?? 0;
  return out;
}

function requireZeroState(ctx: OnnxOpContext, i: number, zero: number, what: string): void {
  const t = ctx.constant(i);
  if (!t || constantNumbers(t).some((v) => v !== zero))
    cannot(`the ${what} must start at TFLite's zero state (a state fed from outside has no TFLite form)`);
}

const scan: OnnxConverter = (ctx) => {
  const record =
    readIntegerLstmDoc(ctx.node.docString) ?? cannot('only the Scan Lithe writes for a TFLite integer LSTM has a TFLite translation');
  const { em, base } = ctx;
  if (ctx.node.inputs.length !== 3 || ctx.node.int('num_scan_inputs', 0) !== 1) cannot('the integer LSTM Scan takes h₀, c₀ and x');
  if (ctx.used(0) || ctx.used(1)) cannot('the final state of the integer LSTM is read, and TFLite keeps it inside');
  requireZeroState(ctx, 0, record.state.zeroPoint, 'hidden state');
  requireZeroState(ctx, 1, 0, 'cell state');
  const [steps, batch, inputs] = ctx.shape(2);
  const wT = constantNamed(ctx, record.w, 'int8');
  const rT = constantNamed(ctx, record.r, 'int8');
  const bx = constantNumbers(constantNamed(ctx, record.bx, 'int64'));
  const cols = wT.dims[1] ?? 0;
  const hidden = (cols ?? 0) / GATES;
  if (!steps || !batch || !inputs || wT.dims[0] !== inputs || !Number.isInteger(hidden) || rT.dims.join() !== `${hidden},${cols}`)
    cannot("the integer LSTM's weights do not fit its input");
  const w = new Int8Array(wT.bytes().slice().buffer);
  const r = new Int8Array(rT.bytes().slice().buffer);
  // the data as it is held: batch-major when the Scan reads a transposed batch-major tensor
  const batchMajor = ctx.layout(2)?.join() === '1,0,2';
  const x = batchMajor ? ctx.inputIn(2, [1, 0, 2]) : ctx.input(2);
  quantizeAs(x, record.input);
  const constant = (name: string, dtype: DType, dims: number[], bytes: Uint8Array, scale: number | null) =>
    quantized(em.constant(`${base}_${name}`, dtype, dims, bytes), scale === null ? [] : [scale], []);
  const weights = [0, 1, 2, 3].map((g) =>
    constant(`w${g}`, 'int8', [hidden, inputs], new Uint8Array(gateRows(w, inputs, hidden, g).buffer), record.weights[g] ?? 1),
  );
  const recurrent = [0, 1, 2, 3].map((g) =>
    constant(`r${g}`, 'int8', [hidden, hidden], new Uint8Array(gateRows(r, hidden, hidden, g).buffer), record.recurrent[g] ?? 1),
  );
  const biases = [0, 1, 2, 3].map((g) => {
    const bias = Int32Array.from({ length: hidden }, (_, row) => {
      let sum = 0;
      for (let k = 0; k < inputs; k++) sum += w[k * cols + g * hidden + row] ?? 0;
      const b = (bx[g * hidden + row] ?? 0) + record.input.zeroPoint * sum;
      return b >= -(2 ** 31) && b < 2 ** 31 ? b : cannot('a gate bias does not fit int32');
    });
    return constant(`b${g}`, 'int32', [hidden], new Uint8Array(bias.buffer), record.biases[g] ?? null);
  });
  const state = em.variable(`${base}_h`, [batch, hidden], 'int8');
  quantizeAs(state, record.state);
  const cell = em.variable(`${base}_c`, [batch, hidden], 'int16');
  quantizeAs(cell, record.cell);
  const intermediates = record.intermediates.map((m, k) =>
    quantized(em.value(`${base}_intermediate${k}`, [0], m.dtype), m.scale, m.zeroPoint),
  );
  const y = em.value(`${base}_y`, batchMajor ? [batch, steps, hidden] : [steps, batch, hidden], 'int8');
  quantizeAs(y, record.output);
  em.op(
    'UNIDIRECTIONAL_SEQUENCE_LSTM',
    [x, ...weights, ...recurrent, undefined, undefined, undefined, ...biases, undefined, undefined, state, cell],
    y,
    { fused_activation_function: 4, cell_clip: record.cellClip, proj_clip: 0, time_major: !batchMajor },
  );
  const node = em.graph.producerOf(y) ?? cannot('the LSTM was not written');
  node.extras = tfliteExtras({
    operator: {
      opcodeIndex: -1,
      inputs: [],
      outputs: [],
      builtinOptions: null,
      builtinOptions2: null,
      customOptions: null,
      customOptionsExternal: false,
      customOptionsFormat: 0,
      mutatingVariableInputs: null,
      intermediates: null,
      debugMetadataIndex: -1,
    },
    code: { code: LSTM_CODE, builtinCode: LSTM_CODE, deprecatedBuiltinCode: LSTM_CODE, customCode: null, version: record.version },
    intermediates,
  } satisfies TfliteNodeRecord);
  ctx.alias(2, y, batchMajor ? [1, 0, 2] : undefined);
};

/** The Scan Lithe writes for a TFLite integer LSTM. */
export const INTEGER_LSTM_CONVERTERS: Record<string, OnnxConverter> = { Scan: scan };
