import { LitheError } from '../../errors';

const UNSUPPORTED_PATTERNS = [
  /Could not find an implementation for/i,
  /opset .* is (not supported|under development)/i,
  /Unsupported model IR version/i,
  /is not a registered function\/op/i,
  /No Op registered for/i,
];

const CORRUPT_PATTERNS = [/Protobuf parsing failed/i, /Failed to load model/i, /invalid model/i, /ModelProto does not have a graph/i];

/** The first line of an ONNX Runtime message, without ANSI colour codes. */
export function ortMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\u001b\[[0-9;]*m/g, '');
  const firstLine = clean.split('\n')[0] ?? clean;
  // ORT sometimes glues its log line to the message: cut at the timestamp.
  return firstLine.replace(/Error\s*\d{4}-\d{2}-\d{2} .*$/, '').trim();
}

/** Turns an ONNX Runtime failure to create a session into a LitheError that names the file. */
export function sessionError(file: string, error: unknown): LitheError {
  const message = ortMessage(error);
  if (UNSUPPORTED_PATTERNS.some((pattern) => pattern.test(message))) {
    return new LitheError(
      'unsupported',
      `cannot run in this runtime (ONNX Runtime): ${message}. The model uses an operator or opset version ONNX Runtime no longer implements; converting it to a newer opset may help.`,
      { file, cause: error },
    );
  }
  if (CORRUPT_PATTERNS.some((pattern) => pattern.test(message))) {
    return new LitheError('corrupt-model', `ONNX Runtime could not load the model: ${message}`, { file, cause: error });
  }
  return new LitheError('runtime-failed', `ONNX Runtime could not create a session: ${message}`, { file, cause: error });
}

/** Turns an ONNX Runtime failure during inference into a LitheError that names the file. */
export function runError(file: string, error: unknown): LitheError {
  return new LitheError(
    'runtime-failed',
    `inference failed in ONNX Runtime: ${ortMessage(error)}. If the inputs were generated and the model has dynamic dimensions or ` +
      `inputs that must hold particular values, give them (--dim name=value, --value input=number).`,
    { file, cause: error },
  );
}
