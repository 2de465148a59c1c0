import type { TfliteModel } from '../../formats/tflite';

// The TFLite runtime's load log is a list of lines like
//   INFO: Created TensorFlow Lite XNNPACK delegate for CPU.
//   ERROR: third_party/tensorflow/lite/core/subgraph.cc BytesRequired number of elements overflowed.
//   ERROR: Node number 3 (CONV_2D) failed to prepare.
// This turns the cases "an operator failed to prepare" and "a tensor is invalid" into one sentence a
// user can act on. The common
// cause is a model whose inputs have open dimensions (shape signature −1) stored at a placeholder
// size such as [1,1]: this runtime prepares at the stored sizes and has no call to resize first.

/**
 * Plain words for the runtime's own reasons, by the text it logs (its checks print `actual != expected
 * (actual value != expected value)`). `sizes`: the reason is about tensor sizes, so open input
 * dimensions stored at placeholder sizes may be the cause.
 */
const REASONS: { pattern: RegExp; words: (match: RegExpExecArray) => string; sizes: boolean }[] = [
  {
    pattern: /number of elements overflowed/i,
    words: () => 'a tensor would need an impossible number of elements (a size below zero or too large)',
    sizes: true,
  },
  {
    pattern: /NumInputs\(node\) != (\d+) \((\d+) != \d+\)/,
    words: (m) => `it has ${m[2]} input${m[2] === '1' ? '' : 's'} where it takes ${m[1]}`,
    sizes: false,
  },
  {
    pattern: /NumOutputs\(node\) != (\d+) \((\d+) != \d+\)/,
    words: (m) => `it has ${m[2]} output${m[2] === '1' ? '' : 's'} where it gives ${m[1]}`,
    sizes: false,
  },
  {
    pattern: /NumDimensions\([^)]*\) != (\d+) \((\d+) != \d+\)/,
    words: (m) => `a tensor of it has ${m[2]} dimensions where it needs ${m[1]}`,
    sizes: true,
  },
  {
    pattern: /required_bytes != bytes \((\d+) != (\d+)\)/,
    words: (m) => `its shape and element type need ${m[1]} bytes, but its data holds ${m[2]}`,
    sizes: false,
  },
  {
    pattern: /->type == .* was not true|type .*(is )?not (currently )?supported/i,
    words: () => 'one of its tensors has an element type it does not take',
    sizes: false,
  },
  {
    pattern: /dimension.*(mismatch|must be|should be)|does not match/i,
    words: () => 'the sizes of its inputs do not fit together',
    sizes: true,
  },
  { pattern: /out of memory|failed to allocate/i, words: () => 'it needs more memory than the runtime could get', sizes: false },
];

const PREPARE = /Node number (\d+) \(([A-Za-z0-9_]+)\) failed to prepare/;
const BAD_TENSOR = /Tensor (\d+) is invalidly specified in schema/;

/** An input of the main graph with open dimensions: its name, its shape signature and its stored shape. */
interface OpenInput {
  name: string;
  signature: number[];
  stored: number[];
}

function openInputs(model: TfliteModel): OpenInput[] {
  const graph = model.subgraphs[0];
  if (!graph) return [];
  return graph.inputs.flatMap((index, i) => {
    const tensor = graph.tensors[index];
    const signature = tensor?.shapeSignature;
    if (!tensor || !signature?.some((d) => d < 0)) return [];
    return [{ name: tensor.name ?? `input ${i}`, signature, stored: tensor.shape ?? [] }];
  });
}

const dims = (shape: readonly number[]): string => `[${shape.map((d) => (d < 0 ? '?' : String(d))).join(', ')}]`;

/** The runtime's reason without log levels and source-file names, for the cases {@link REASONS} does not know. */
function runtimeReason(lines: readonly string[]): string | undefined {
  const reason = lines.find(
    (line) => /^ERROR:/.test(line) && !PREPARE.test(line) && !BAD_TENSOR.test(line) && !/default TensorFlow Lite delegate/i.test(line),
  );
  if (!reason) return undefined;
  return reason
    .replace(/^ERROR:\s*/, '')
    .replace(/^\S+\.(cc|h|cpp)(:\d+)?\s*/, '')
    .replace(/\.$/, '');
}

/** The first reason of {@link REASONS} the log gives, in words, and whether it is about sizes. */
function knownReason(lines: readonly string[]): { words: string; sizes: boolean } | undefined {
  for (const reason of REASONS)
    for (const line of lines) {
      const match = reason.pattern.exec(line);
      if (match) return { words: reason.words(match), sizes: reason.sizes };
    }
  return undefined;
}

/**
 * Plain words for a load that failed because an operator could not be prepared or a tensor is
 * invalid, or `undefined` when the runtime's message says something else.
 */
export function describePrepareFailure(model: TfliteModel, runtimeMessage: string): string | undefined {
  const lines = runtimeMessage.split('\n').map((line) => line.trim());
  const known = knownReason(lines);
  const reason = known?.words ?? runtimeReason(lines) ?? 'the runtime gave no reason';
  const tensor = lines.map((line) => BAD_TENSOR.exec(line)).find((match) => match !== null);
  if (tensor) {
    const index = Number(tensor[1]);
    const t = model.subgraphs[0]?.tensors[index];
    const named = t?.name ? `${t.name} (number ${index}, shape ${dims(t.shape ?? [])})` : `number ${index}`;
    return `the TFLite runtime cannot load this model: its tensor ${named} is invalid: ${reason}.`;
  }
  const prepare = lines.map((line) => PREPARE.exec(line)).find((match) => match !== null);
  if (!prepare) return undefined;
  const [, node, op] = prepare;
  const failed = `its operator ${op} (node ${node}) cannot be prepared: ${reason}`;
  const open = known?.sizes ? openInputs(model) : [];
  if (!open.length) return `the TFLite runtime cannot load this model: ${failed}.`;
  const named = open.map((input) => `${input.name} ${dims(input.signature)} (stored as ${dims(input.stored)})`).join(', ');
  return (
    `the TFLite runtime cannot load this model at the input sizes stored in the file: ` +
    `${open.length > 1 ? 'its inputs' : 'its input'} ${named} ${open.length > 1 ? 'have' : 'has'} open dimensions, and at the ` +
    `stored sizes ${failed}. This runtime has no way to set other input sizes before it loads a model, so it cannot run this ` +
    `file; Lithe can still read and inspect it.`
  );
}
