import { BuiltinOperator } from './generated/tflite/builtin-operator';

/** The IR domain of TFLite builtin operators (opType is the builtin name, e.g. CONV_2D). */
export const TFLITE_DOMAIN = 'tflite';
/** The IR domain of TFLite custom operators (opType is the custom code). */
export const TFLITE_CUSTOM_DOMAIN = 'tflite.custom';

/** The name of a builtin operator code, e.g. 3 → 'CONV_2D'. */
export function builtinName(code: number): string {
  return BuiltinOperator[code] ?? `BUILTIN_${code}`;
}

/** The builtin operator code for a name, or undefined. */
export function builtinCodeOf(name: string): number | undefined {
  const code = (BuiltinOperator as unknown as Record<string, number | undefined>)[name];
  if (typeof code === 'number') return code;
  const m = /^BUILTIN_(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
