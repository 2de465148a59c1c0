import { existsSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeOnnx, readOnnx } from '../../../src/engine/formats/onnx';
import { eliminateDeadCode } from '../../../src/engine/passes/eliminate-dead-code';
import { foldBatchnorm } from '../../../src/engine/passes/fold-batchnorm';
import { foldConstants } from '../../../src/engine/passes/fold-constants';
import { fuseActivation } from '../../../src/engine/passes/fuse-activation';
import { fuseMatmulAdd } from '../../../src/engine/passes/fuse-matmul-add';
import { removeIdentity } from '../../../src/engine/passes/remove-identity';
import { upgradeOpset } from '../../../src/engine/passes/upgrade-opset';
import { PPOCR_CLS_ONNX } from '../../fixtures/real-models';
import { maxRelativeError, randomFloats, runOnnx, runPass } from './graph-builder';

const EXACT = [removeIdentity, foldConstants, foldBatchnorm, fuseMatmulAdd, fuseActivation, eliminateDeadCode];

describe.skipIf(!existsSync(PPOCR_CLS_ONNX))('exact passes on a real model', () => {
  it(
    'PaddleOCR direction classifier (opset 9): BatchNormalization folded, outputs unchanged, fewer nodes',
    { timeout: 60_000 },
    async () => {
      const model = readOnnx(PPOCR_CLS_ONNX);
      const before = encodeOnnx(model);
      const nodesBefore = model.graph.nodes.length;
      const bnBefore = model.graph.nodes.filter((n) => n.opType === 'BatchNormalization').length;
      expect(bnBefore).toBeGreaterThan(0);
      const stats: Record<string, number> = {};
      for (const pass of EXACT) {
        const count = model.graph.nodes.length;
        const r = await runPass(pass, model);
        for (const [k, v] of Object.entries(r.stats)) stats[`${pass.name}.${k}`] = v;
        expect(model.graph.nodes.length).toBeLessThanOrEqual(count);
      }
      expect(model.graph.nodes.filter((n) => n.opType === 'BatchNormalization')).toHaveLength(0);
      expect(model.graph.nodes.length).toBeLessThan(nodesBefore);
      expect(stats['fold-batchnorm.batchNormsFolded']).toBe(bnBefore);
      for (const batch of [1, 3]) {
        const feeds = { x: new ort.Tensor('float32', randomFloats(batch * 3 * 48 * 192, batch), [batch, 3, 48, 192]) };
        const err = maxRelativeError(await runOnnx(before, feeds), await runOnnx(encodeOnnx(model), feeds));
        expect(err).toBeLessThanOrEqual(1e-5);
      }
    },
  );

  it('PaddleOCR direction classifier upgraded from opset 9 to 13: same outputs, same node count', { timeout: 60_000 }, async () => {
    const model = readOnnx(PPOCR_CLS_ONNX);
    const before = encodeOnnx(model);
    const nodes = model.graph.nodes.length;
    const r = await runPass(upgradeOpset, model, { target: 13 });
    expect(r.stats).toMatchObject({ fromOpset: 9, toOpset: 13 });
    expect(model.graph.nodes.length).toBe(nodes);
    const feeds = { x: new ort.Tensor('float32', randomFloats(2 * 3 * 48 * 192, 5), [2, 3, 48, 192]) };
    expect(maxRelativeError(await runOnnx(before, feeds), await runOnnx(encodeOnnx(model), feeds))).toBeLessThanOrEqual(1e-6);
  });
});
