import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { decodeTflite, encodeTflite } from '../../../src/engine/formats/tflite';
import { fuseActivation } from '../../../src/engine/passes/fuse-activation';
import { createTfliteSession } from '../../../src/engine/runtime/tflite';
import { FACE_SHORT_TFLITE } from '../../fixtures/real-models';
import { at } from '../../helpers/at';
import { GraphBuilder, opTypes, randomFloats, runPass } from './graph-builder';

describe('fuse-activation', () => {
  it('leaves ONNX graphs unchanged and says how many pairs onnxruntime will fuse itself', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 2, 4, 4]);
    const conv = b.op('Conv', [x, b.weight('w', [2, 2, 1, 1])]);
    const relu6 = b.op('Clip', [conv, b.weight('lo', [], [0]), b.weight('hi', [], [6])]);
    const gemm = b.op('Gemm', [b.op('Flatten', [relu6]), b.weight('g', [32, 3])]);
    b.output(b.op('Relu', [gemm]), [1, 3]).output(b.op('Sigmoid', [b.op('MatMul', [gemm, b.weight('m', [3, 3])])]), [1, 3]);
    const bytes = encodeOnnx(b.model);
    const r = await runPass(fuseActivation, b.model);
    expect(r).toMatchObject({ changed: false, stats: { activationsFused: 0, onnxPairsLeftToRuntime: 1 } });
    expect(encodeOnnx(b.model)).toEqual(bytes);
  });

  it.skipIf(!existsSync(FACE_SHORT_TFLITE))(
    'merges RELU operators into CONV_2D/ADD in a real TFLite model with the same outputs',
    { timeout: 60_000 },
    async () => {
      const original = readFileSync(FACE_SHORT_TFLITE);
      const model = decodeTflite(original);
      const relus = opTypes(model).filter((op) => op === 'RELU').length;
      const nodes = model.graph.nodes.length;
      const r = await runPass(fuseActivation, model);
      expect(r.stats.activationsFused).toBe(relus);
      const rewritten = decodeTflite(encodeTflite(model));
      expect(opTypes(rewritten)).not.toContain('RELU');
      expect(rewritten.graph.nodes).toHaveLength(nodes - relus);
      const fused = rewritten.graph.nodes.filter((n) => n.int('fused_activation_function', 0) === 1);
      expect(fused.length).toBeGreaterThanOrEqual(relus);
      const before = await createTfliteSession(original);
      const after = await createTfliteSession(encodeTflite(model));
      try {
        const input = randomFloats(128 * 128 * 3, 11);
        const a = await before.run([input]);
        const b = await after.run([input]);
        a.outputs.forEach((out, i) => {
          let diff = 0;
          let scale = 1e-12;
          const other = at(b.outputs, i);
          out.forEach((v, k) => {
            diff = Math.max(diff, Math.abs(v - at(other, k)));
            scale = Math.max(scale, Math.abs(v));
          });
          expect(diff / scale).toBeLessThanOrEqual(1e-5);
        });
      } finally {
        await before.dispose();
        await after.dispose();
      }
    },
  );
});
