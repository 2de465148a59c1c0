// The words the UI may use with people who are not ML engineers, and what it must not show them.

/** Terms users meet, each explained in the app's glossary (`src/renderer/lib/model/glossary.ts`) or next to where it appears. */
export const ALLOWED_TERMS = [
  'quantization',
  'int8',
  'int4',
  'float16',
  'float32',
  'fidelity',
  'latency',
  'MAC',
  'operator',
  'node',
  'tensor',
  'shape',
  'opset',
  'parameters',
  'dB (signal-to-noise)',
] as const;

/** What no screen may show: command-line flags and commands, and statistics jargon. */
export const FORBIDDEN: readonly { name: string; pattern: RegExp }[] = [
  { name: 'a command-line flag', pattern: /(?<![\w-])--[a-z][a-z0-9-]+/ },
  {
    name: 'a lithe command line',
    pattern: /\blithe (serve|optimize|bench|inspect|batch|eval|train|convert|pack|unpack|devices|identify)\b/i,
  },
  { name: 'SQNR', pattern: /\bSQNR\b/ },
  { name: 'a confidence interval', pattern: /\b\d+ ?% CI\b|confidence interval/i },
  { name: 'percentile shorthand', pattern: /\bp(50|90|95|99)\b/ },
  { name: 'cosine', pattern: /\bcosine\b/i },
  { name: 'bootstrap', pattern: /\bbootstrap\b/i },
  { name: 'scientific notation', pattern: /\b\d(\.\d+)?e[-+]\d+\b/ },
  { name: '"1 cores"', pattern: /\b1 cores\b/ },
  { name: 'an engine identifier', pattern: /\b(initializer|execution provider|onnxruntime)\b/i },
];

/** The forbidden things `text` contains, each with a little of the text around it. */
export function findJargon(text: string): string[] {
  const found: string[] = [];
  for (const { name, pattern } of FORBIDDEN) {
    const match = pattern.exec(text);
    if (match)
      found.push(`${name}: “…${text.slice(Math.max(0, match.index - 40), match.index + match[0].length + 40).replace(/\s+/g, ' ')}…”`);
  }
  return found;
}
