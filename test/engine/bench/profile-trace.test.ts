import { describe, expect, it } from 'vitest';
import { parseOrtTrace, summarizeTrace } from '../../../src/engine/bench/profile-trace';
import { at } from '../../helpers/at';

const event = (name: string, op: string, ts: number, dur: number, shapes: unknown = [{ float: [1, 4] }]): object => ({
  cat: 'Node',
  name: `${name}_kernel_time`,
  ts,
  dur,
  tid: 1,
  args: {
    op_name: op,
    provider: 'CPUExecutionProvider',
    input_type_shape: shapes,
    output_type_shape: [{ float: [1, 4] }],
    activation_size: '16',
    output_size: '16',
    parameter_size: '0',
  },
});
const run = (ts: number, dur: number): object => ({ cat: 'Session', name: 'model_run', ts, dur, tid: 1 });

// Two runs; in each an If node (100 µs) contains a Conv (60 µs); then a Relu.
const trace = JSON.stringify([
  { cat: 'Session', name: 'model_loading_uri', ts: 0, dur: 50 },
  run(100, 200),
  event('if', 'If', 110, 100),
  event('conv', 'Conv', 120, 60, [{ float: [1, 3, 8, 8] }, { float: [4, 3, 3, 3] }]),
  event('relu', 'Relu', 220, 20),
  { cat: 'Node', name: 'relu_fence_before', ts: 219, dur: 1, tid: 1, args: {} },
  run(400, 200),
  event('if', 'If', 410, 100),
  event('conv', 'Conv', 420, 60),
  event('relu', 'Relu', 520, 20),
]);

describe('ONNX Runtime profile parsing', () => {
  it('takes subgraph time out of the control-flow node', () => {
    const parsed = parseOrtTrace(trace);
    expect(parsed.runs).toBe(2);
    const first = parsed.nodes.slice(0, 3).map((node) => [node.name, node.opType, node.selfUs]);
    expect(first).toEqual([
      ['if', 'If', 40],
      ['conv', 'Conv', 60],
      ['relu', 'Relu', 20],
    ]);
    expect(at(at(parsed.nodes, 1).inputs, 1)).toEqual({ dtype: 'float', shape: [4, 3, 3, 3] });
  });

  it('summarises per inference by op type and by node', () => {
    const profile = summarizeTrace(parseOrtTrace(trace));
    expect(profile.totalMs).toBeCloseTo(0.12, 9);
    expect(profile.byOpType.map((op) => op.opType)).toEqual(['Conv', 'If', 'Relu']);
    expect(at(profile.byOpType, 0).meanMs).toBeCloseTo(0.06, 9);
    expect(at(profile.byOpType, 0).share).toBeCloseTo(0.5, 9);
    expect(profile.byNode[0]).toMatchObject({ name: 'conv', opType: 'Conv', count: 1 });
  });

  it('can skip the first run', () => {
    const parsed = parseOrtTrace(trace, { skipFirstRun: true });
    expect(parsed.runs).toBe(1);
    expect(parsed.nodes).toHaveLength(3);
  });
});
