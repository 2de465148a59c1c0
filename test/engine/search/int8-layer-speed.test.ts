import { describe, expect, it } from 'vitest';
import type { LayerProfile, NodeTimes } from '../../../src/engine/bench/layer-profile';
import { decodeOnnx } from '../../../src/engine/formats/onnx';
import type { Model } from '../../../src/engine/ir/model';
import type { Node } from '../../../src/engine/ir/node';
import { applyStaticQdq } from '../../../src/engine/quantize/onnx/apply-qdq';
import { compareLayerProfiles } from '../../../src/engine/search/int8-layer-speed';
import { slowLayersNote } from '../../../src/engine/search/slow-layers-note';
import { encode, FLOAT, floatTensor, graph, model, node, valueInfo } from '../helpers/onnx-builders';

const RUNS = 24;

/** x → Conv "first" → Relu → Conv "second" → y (1×1 convolutions, 4 channels). */
function floatModel(): Model {
  const w = Array.from({ length: 16 }, (_, i) => (i % 5) / 5 - 0.4);
  return decodeOnnx(
    encode(
      model(
        graph({
          node: [
            node('Conv', ['x', 'w1'], ['c1'], [], 'first'),
            node('Relu', ['c1'], ['r1'], [], 'act'),
            node('Conv', ['r1', 'w2'], ['y'], [], 'second'),
          ],
          initializer: [floatTensor('w1', [4, 4, 1, 1], w), floatTensor('w2', [4, 4, 1, 1], w)],
          input: [valueInfo('x', FLOAT, [1, 4, 8, 8])],
          output: [valueInfo('y', FLOAT, [1, 4, 8, 8])],
        }),
      ),
    ),
  );
}

function int8Model(): Model {
  const m = floatModel();
  const ranges = new Map([
    ['x', { min: -1, max: 1 }],
    ['r1', { min: 0, max: 2 }],
  ]);
  applyStaticQdq(m, ranges, { activationType: 'uint8', symmetricActivations: false, perChannel: true, exclude: [] });
  return m;
}

/** Runs around `us` with a deterministic ±`jitter` wobble. */
const runsOf = (us: number, jitter = 0.1): number[] => Array.from({ length: RUNS }, (_, i) => us * (1 + jitter * Math.sin(i * 1.7)));

/** A profile with `times` (µs per run, by the node's first output) on the model's nodes. */
function profile(m: Model, times: Record<string, number[]>): LayerProfile {
  const nodes = new Map<Node, NodeTimes>();
  const total = new Array<number>(RUNS).fill(0);
  for (const n of m.graph.nodes) {
    const runsUs = times[n.outputs[0]?.name ?? ''];
    if (!runsUs) continue;
    nodes.set(n, { node: n, runsUs });
    runsUs.forEach((us, i) => (total[i] = (total[i] ?? 0) + us));
  }
  return { model: m, nodes, unmatchedUs: new Array<number>(RUNS).fill(0), totalUs: total, runs: RUNS };
}

describe('int8 vs float, layer by layer', () => {
  it('groups a layer with what only reads it, puts Q/DQ on the layer they convert, and finds the slower one', () => {
    const int8 = int8Model();
    // The float runtime fused Conv+Relu and named the result after the Relu (as onnxruntime does).
    const float = profile(floatModel(), { r1: runsOf(100), y: runsOf(50) });
    const quantized = profile(int8, { c1: runsOf(30), x_quantized: runsOf(5), y: runsOf(80) });
    const speed = compareLayerProfiles(float, quantized);
    expect(speed.runs).toBe(RUNS);
    const [slow, fast] = speed.layers;
    expect(slow).toMatchObject({ name: 'second', opTypes: ['Conv'], outputs: ['y'], slower: true });
    expect(slow?.floatMs).toBeCloseTo(0.05, 2);
    expect(slow?.int8Ms).toBeCloseTo(0.08, 2);
    expect(slow?.ratio?.low).toBeGreaterThan(1.05);
    // The input's QuantizeLinear counts for the first layer: 30 + 5 µs against 100.
    expect(fast).toMatchObject({ name: 'first', opTypes: ['Conv', 'Relu'], outputs: ['c1', 'r1'], slower: false });
    expect(fast?.int8Ms).toBeCloseTo(0.035, 2);
    expect(slowLayersNote(speed.layers)).toMatch(
      /^Kept in float because they were measured slower in int8: second \(Conv: 0\.08\d ms in int8 vs 0\.05\d ms in float\)\.$/,
    );
  });

  it('calls no layer slower when the difference is within the noise', () => {
    const float = profile(floatModel(), { r1: runsOf(100, 0.3), y: runsOf(50, 0.3) });
    const quantized = profile(int8Model(), { c1: runsOf(101, 0.3), y: runsOf(52, 0.3).reverse() });
    const speed = compareLayerProfiles(float, quantized);
    expect(speed.layers.every((layer) => !layer.slower)).toBe(true);
    expect(slowLayersNote(speed.layers, 'int8-static')).toBe(
      'no layer of the int8-static candidate was measured slower in int8 than in float (2 layers profiled).',
    );
  });

  it('does not call a layer slower that int8 left as it was (no Q/DQ of its own)', () => {
    const float = profile(floatModel(), { r1: runsOf(100), y: runsOf(50) });
    const unchanged = profile(floatModel(), { r1: runsOf(100), y: runsOf(90) });
    expect(compareLayerProfiles(float, unchanged).layers.some((layer) => layer.slower)).toBe(false);
  });
});
