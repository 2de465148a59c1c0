import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { matchRuntimeName, profileLayers } from '../../../src/engine/bench/layer-profile';
import { decodeOnnx, encodeOnnx } from '../../../src/engine/formats/onnx';
import type { Node } from '../../../src/engine/ir/node';
import { applyStaticQdq } from '../../../src/engine/quantize/onnx/apply-qdq';
import { DEFAULT_ORT_CONFIG } from '../../../src/engine/runtime/onnx';
import { encode, FLOAT, floatTensor, graph, intsAttr, model, node, valueInfo } from '../helpers/onnx-builders';

const dir = mkdtempSync(join(tmpdir(), 'lithe-layers-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** x[1,8,16,16] → Conv 3×3 → Relu → Conv 3×3 → y, nodes without names (as many exported models have). */
function convChain(): Uint8Array {
  const weight = (seed: number): number[] => Array.from({ length: 8 * 8 * 9 }, (_, k) => ((((k + seed) * 7919) % 200) / 100 - 1) / 24);
  const pads = intsAttr('pads', [1, 1, 1, 1]);
  return encode(
    model(
      graph({
        node: [
          node('Conv', ['x', 'w1', 'b1'], ['c1'], [pads]),
          node('Relu', ['c1'], ['r1']),
          node('Conv', ['r1', 'w2', 'b2'], ['y'], [pads]),
        ],
        initializer: [
          floatTensor('w1', [8, 8, 3, 3], weight(1)),
          floatTensor(
            'b1',
            [8],
            Array.from({ length: 8 }, (_, i) => i / 10),
          ),
          floatTensor('w2', [8, 8, 3, 3], weight(2)),
          floatTensor(
            'b2',
            [8],
            Array.from({ length: 8 }, (_, i) => -i / 10),
          ),
        ],
        input: [valueInfo('x', FLOAT, [1, 8, 16, 16])],
        output: [valueInfo('y', FLOAT, [1, 8, 16, 16])],
      }),
    ),
  );
}

function writeModels(): { float: string; int8: string } {
  const bytes = convChain();
  const float = join(dir, 'float.onnx');
  writeFileSync(float, bytes);
  const quantized = decodeOnnx(bytes);
  const ranges = new Map([
    ['x', { min: -1, max: 1 }],
    ['r1', { min: 0, max: 4 }],
    ['y', { min: -4, max: 4 }],
  ]);
  applyStaticQdq(quantized, ranges, { activationType: 'uint8', symmetricActivations: false, perChannel: true, exclude: [] });
  const int8 = join(dir, 'int8.onnx');
  writeFileSync(int8, encodeOnnx(quantized));
  return { float, int8 };
}

describe('runtime node names mapped back onto the model', () => {
  const a = { name: 'a' } as Node;
  const b = { name: 'b' } as Node;
  const lookup = new Map<string, Node>([
    ['lithe_n1', a],
    ['lithe_n12', b],
    ['/conv/output_0', b],
  ]);

  it('takes the longest known prefix that ends at an underscore', () => {
    expect(matchRuntimeName('lithe_n1', lookup)).toBe(a);
    expect(matchRuntimeName('lithe_n1_token_7', lookup)).toBe(a);
    expect(matchRuntimeName('lithe_n12_token_7', lookup)).toBe(b);
    expect(matchRuntimeName('/conv/output_0_nchwc', lookup)).toBe(b);
  });

  it('finds the copy name anywhere in the runtime name', () => {
    expect(matchRuntimeName('fused lithe_n12', lookup)).toBe(b);
    expect(matchRuntimeName('lithe_n1_lithe_n12', lookup)).toBe(a);
  });

  it('matches nothing for a node the runtime added or a name that only starts alike', () => {
    expect(matchRuntimeName('lithe_n123', lookup)).toBeUndefined();
    expect(matchRuntimeName('Transpose_token_3', lookup)).toBeUndefined();
    expect(matchRuntimeName('', lookup)).toBeUndefined();
  });
});

describe('profileLayers', () => {
  it('puts the time of fused runtime nodes on the model nodes they came from, for float and int8 alike', async () => {
    const { float, int8 } = writeModels();
    const [f, q] = await profileLayers([float, int8], DEFAULT_ORT_CONFIG, { dims: {}, values: {}, seed: 1 }, 5);
    expect(f?.runs).toBe(5);
    expect(q?.runs).toBe(5);
    // Both convolutions ran (the first fused with its Relu, named after either; in int8 as QLinearConv).
    const timed = (profile: typeof f): string[] =>
      [...(profile?.nodes.values() ?? [])].filter((t) => t.runsUs.some((us) => us > 0)).map((t) => t.node.outputs[0]?.name ?? '');
    expect(timed(f)).toContain('y');
    expect(timed(f).some((name) => name === 'c1' || name === 'r1')).toBe(true);
    expect(timed(q).length).toBeGreaterThanOrEqual(2);
    // Node names are the model's own again (the profiling copy's names are not kept).
    expect(f?.model.graph.nodes.map((n) => n.name)).toEqual(['', '', '']);
    // Every microsecond is either on a model node or counted apart.
    for (const profile of [f, q]) {
      if (!profile) continue;
      const onNodes = [...profile.nodes.values()].reduce((sum, t) => sum + t.runsUs.reduce((s, us) => s + us, 0), 0);
      const apart = profile.unmatchedUs.reduce((s, us) => s + us, 0);
      const total = profile.totalUs.reduce((s, us) => s + us, 0);
      expect(onNodes + apart).toBeCloseTo(total, 6);
      expect(onNodes).toBeGreaterThan(0.5 * total);
    }
  }, 60_000);
});
