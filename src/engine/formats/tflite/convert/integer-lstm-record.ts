// What the ONNX form of a TFLite integer LSTM (integer-lstm.ts) keeps of the TFLite op, so that
// ONNX → TFLite can give the op back (from-onnx/ops-integer-lstm.ts): the quantization of every tensor
// the kernel reads and the names of the ONNX constants that hold its weights. It is the Scan node's
// doc string, behind a marker:
//   Scan(h₀, c₀, x) doc_string = "lithe:tflite-integer-lstm {…}"
import { z } from 'zod';

const MARKER = 'lithe:tflite-integer-lstm ';

const affine = z.object({ scale: z.number(), zeroPoint: z.number().int() });

const schema = z.object({
  /** TFLite operator version the op was read with. */
  version: z.number().int(),
  input: affine,
  output: affine,
  /** Hidden state (input 18) and cell state (input 19). */
  state: affine,
  cell: affine,
  /** Per-tensor scales of the gate tensors, gates i, f, c, o. */
  weights: z.array(z.number()).length(4),
  recurrent: z.array(z.number()).length(4),
  biases: z.array(z.number().nullable()).length(4),
  /** The op's five intermediate tensors. */
  intermediates: z
    .array(
      z.object({ dtype: z.enum(['float32', 'int8', 'int16', 'int32']), scale: z.array(z.number()), zeroPoint: z.array(z.number().int()) }),
    )
    .length(5),
  cellClip: z.number(),
  /** ONNX constants: W [inputs, 4·hidden] int8, R [hidden, 4·hidden] int8, the input bias with x's zero point folded in (int64). */
  w: z.string(),
  r: z.string(),
  bx: z.string(),
});

/** The TFLite op behind an ONNX integer LSTM. */
export type IntegerLstmRecord = z.infer<typeof schema>;

/** The doc string that carries `record`. */
export function integerLstmDoc(record: IntegerLstmRecord): string {
  return MARKER + JSON.stringify(record);
}

/** The record in `doc`, or undefined when it carries none. */
export function readIntegerLstmDoc(doc: string): IntegerLstmRecord | undefined {
  if (!doc.startsWith(MARKER)) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(doc.slice(MARKER.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
