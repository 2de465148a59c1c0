// Gradient checks of issue 15 (must-show 1, first half): every gradient rule against central finite
// differences in onnxruntime, float64 where onnxruntime has double kernels, float32 otherwise.
// Prints the maximum relative error per rule. Usage: npm run check:grad
import { checkCase, RULE_CASES, toleranceFor } from '../test/engine/train/rule-cases';

const rows: { rule: string; name: string; float: string; error: number; ok: boolean }[] = [];
for (const c of RULE_CASES) {
  const { float, check } = await checkCase(c);
  rows.push({ rule: c.rule, name: c.name, float, error: check.worst, ok: check.worst < toleranceFor(float) });
}
const byRule = new Map<string, { float: Set<string>; error: number; ok: boolean; cases: number }>();
for (const r of rows) {
  const entry = byRule.get(r.rule) ?? { float: new Set<string>(), error: 0, ok: true, cases: 0 };
  entry.float.add(r.float);
  entry.error = Math.max(entry.error, r.error);
  entry.ok &&= r.ok;
  entry.cases++;
  byRule.set(r.rule, entry);
}
console.log('Gradient rules against central finite differences (onnxruntime-node, CPU)');
console.log(
  `tolerance: float64 ${toleranceFor('float64')}, float32 ${toleranceFor('float32')} (max |analytic − numeric| / max |numeric| per tensor)\n`,
);
console.log(`${'rule'.padEnd(42)} ${'cases'.padStart(5)}  ${'float'.padEnd(8)} ${'max rel. error'.padStart(14)}`);
for (const [rule, e] of byRule)
  console.log(
    `${e.ok ? ' ' : '!'}${rule.padEnd(41)} ${String(e.cases).padStart(5)}  ${[...e.float].join('+').padEnd(8)} ${e.error.toExponential(2).padStart(14)}`,
  );
const float32 = [...byRule].filter(([, e]) => e.float.has('float32')).map(([rule]) => rule);
console.log(`\nfloat32 (onnxruntime has no double kernel for an operator of the case): ${float32.join(', ')}`);
console.log(
  'QuantizeLinear/DequantizeLinear (straight-through) and Dropout in training mode are checked against their formulas in\n' +
    'test/engine/train/gradient-rules.test.ts: finite differences do not apply (rounding is flat, masks are random).',
);
const failed = rows.filter((r) => !r.ok);
for (const r of failed) console.log(`FAIL ${r.rule}: ${r.name} (${r.float}) ${r.error.toExponential(2)}`);
console.log(failed.length ? `${failed.length} case(s) failed` : `all ${rows.length} cases within tolerance`);
process.exit(failed.length ? 1 : 0);
