import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceEstimateArgs } from '../../../src/contract/devices';
import { deployedActivationMemory } from '../../../src/engine/devices/deployed-memory';
import { estimateDevices } from '../../../src/engine/devices/estimate';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { intAttr, intsAttr } from '../../../src/engine/passes/util/attributes';
import type { Value } from '../../../src/engine/ir/value';
import { optimizeModel } from '../../../src/engine/optimize/optimize-model';
import { at } from '../../helpers/at';
import { TinyGraph } from '../train/tiny-graphs';

/** Conv 1→8 on 16×16 → Relu → Flatten → Gemm to 10: the Gemm weight (80 KB in float) outweighs any activation. */
function classifier(): TinyGraph {
  const b = new TinyGraph('float32', 13, 7);
  const x = b.input('image', [1, 1, 16, 16]);
  const conv = b.op('Conv', [x, b.weight('conv.w', [8, 1, 3, 3], undefined, -0.3, 0.3), b.weight('conv.b', [8])], {
    pads: intsAttr([1, 1, 1, 1]),
  });
  const flat = b.op('Flatten', [b.op('Relu', [conv])], { axis: intAttr(1) });
  const logits = b.op('Gemm', [flat, b.weight('fc.w', [10, 2048], undefined, -0.05, 0.05), b.weight('fc.b', [10])], {
    transB: intAttr(1),
  });
  logits.type = { kind: 'tensor', dtype: 'float32', shape: [1, 10] };
  return b.output(logits);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lithe-deployed-memory-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const modelIn = async (folder: string): Promise<string> => {
  const file = (await readdir(folder)).find((name) => name.endsWith('.onnx'));
  if (!file) throw new Error(`no model in ${folder}`);
  return join(folder, file);
};

describe('deployed activation memory', () => {
  it('counts live values once, fuses Relu, and leaves weights out', () => {
    const b = classifier();
    const shapeOf = (value: Value) =>
      value.type?.kind === 'tensor' && value.type.shape
        ? { dtype: value.type.dtype, shape: value.type.shape.map((dim) => (typeof dim === 'number' ? dim : 1)) }
        : undefined;
    const conv = at(b.graph.nodes, 0).outputs[0]!;
    conv.type = { kind: 'tensor', dtype: 'float32', shape: [1, 8, 16, 16] };
    at(b.graph.nodes, 1).outputs[0]!.type = { kind: 'tensor', dtype: 'float32', shape: [1, 8, 16, 16] };
    at(b.graph.nodes, 2).outputs[0]!.type = { kind: 'tensor', dtype: 'float32', shape: [1, 2048] };
    // Peak at the Conv: the image (1 KB) and its output, written once after the fused Relu (8 KB).
    expect(deployedActivationMemory(b.graph, shapeOf)).toEqual({ peakActivationBytes: 256 * 4 + 2048 * 4, unsized: 0 });
  });

  it('needs less RAM on a microcontroller for int8 than for float, and for fp16 no less: it is widened', { timeout: 180_000 }, async () => {
    const float = join(dir, 'classifier.onnx');
    await writeFile(float, encodeOnnx(classifier().model));
    await optimizeModel({ model: float, outDir: join(dir, 'fp16'), recipe: 'fp16' });
    await optimizeModel({ model: float, outDir: join(dir, 'int8'), recipe: 'int8-static' });
    const ram = async (model: string) => {
      const result = await estimateDevices(DeviceEstimateArgs.parse({ model, deviceIds: ['cortex-m7-stm32h7'] }), dir);
      const estimate = at(result.estimates, 0);
      return { activations: result.peakActivationBytes, needed: estimate.ramNeededBytes, notes: estimate.notes.join(' ') };
    };
    const floatRam = await ram(float);
    const fp16Ram = await ram(await modelIn(join(dir, 'fp16')));
    const int8Ram = await ram(await modelIn(join(dir, 'int8')));
    // Float: the image (1 KB) + the Conv/Relu output (8 KB) are live together; the 80 KB Gemm weight is no activation.
    expect(floatRam.activations).toBe(256 * 4 + 2048 * 4);
    // fp16: the weights widened to float are weights; activations count in float16 as stored
    // (ONNX Runtime here widens them to float, a device with fp16 arithmetic does not).
    expect(fp16Ram.activations).toBe(floatRam.activations / 2);
    // A microcontroller has no float16 arithmetic (nor TFLite Micro float16 kernels): the float16 weights are widened
    // into RAM (float ones stay in flash) and the activations are float32 again, so fp16 needs more RAM than float.
    expect(fp16Ram.needed).toBeGreaterThan(floatRam.needed);
    expect(fp16Ram.notes).toMatch(
      /Float16 is widened to float32 here \(TFLite Micro has no float16 kernels\): the \d+ KB of float16 weights/,
    );
    expect(floatRam.notes).not.toMatch(/widened/);
    // int8: activations are held as 8-bit integers.
    expect(int8Ram.activations).toBeLessThan(floatRam.activations / 3);
    expect(int8Ram.needed).toBeLessThan(floatRam.needed);
  });
});
