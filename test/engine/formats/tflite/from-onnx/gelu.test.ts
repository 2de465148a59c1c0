import { describe, expect, it } from 'vitest';
import type { Value } from '../../../../../src/engine/ir/value';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';

type Form = 'x-first' | 'half-last' | 'half-of-sum' | 'mul-inverse-root';

// GELU as exporters write it with Erf, in the orders they use.
function erfGelu(form: Form): GraphBuilder {
  const b = new GraphBuilder(14);
  const x = b.input('x', [2, 3, 16]);
  const h = b.op('MatMul', [x, b.weight('w', [16, 16])]);
  const c = (name: string, v: number): Value => b.weight(name, [], [v]);
  const scaled = form === 'mul-inverse-root' ? b.op('Mul', [h, c('inv_root2', Math.SQRT1_2)]) : b.op('Div', [h, c('root2', Math.SQRT2)]);
  const sum = b.op('Add', [c('one', 1), b.op('Erf', [scaled])]);
  let y: Value;
  if (form === 'half-last' || form === 'mul-inverse-root') y = b.op('Mul', [b.op('Mul', [h, sum]), c('half', 0.5)]);
  else if (form === 'x-first') y = b.op('Mul', [b.op('Mul', [h, c('half', 0.5)]), sum]);
  else y = b.op('Mul', [b.op('Mul', [sum, c('half', 0.5)]), h]);
  b.output(y, [2, 3, 16]);
  return b;
}

describe('ONNX GELU written with Erf → TFLite', () => {
  it.each(['x-first', 'half-last', 'half-of-sum', 'mul-inverse-root'] as const)('becomes one GELU (%s)', async (form) => {
    const check = await convertAndRun(erfGelu(form).model);
    expect(check.ops.filter((op) => op !== 'FULLY_CONNECTED' && op !== 'BATCH_MATMUL')).toEqual(['GELU']);
    expect(check.relative).toBeLessThan(1e-5);
  });

  it('keeps refusing an Erf that is not part of a GELU', async () => {
    const b = erfGelu('half-last');
    // a second reader of the Erf's result breaks the pattern
    const erf = b.graph.nodes.find((n) => n.opType === 'Erf')!.outputs[0]!;
    b.output(b.op('Identity', [erf]), [2, 3, 16]);
    await expect(convertAndRun(b.model)).rejects.toThrow(/Erf/);
  });
});
