import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../../../src/engine/evaluate/evaluate-model';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { mixedPrecision } from '../../../src/engine/quantize/mixed-precision';
import { GraphBuilder, opTypes } from '../passes/graph-builder';

/**
 * Audio-like: x[N, T] (both open) → Unsqueeze → reflect Pad by 2 on time → Conv → y. A reflect Pad of 2 needs at
 * least 3 time steps, as Silero VAD's STFT padding does; with `state` (a recurrent state with its own batch axis,
 * [2, N, 4]) concatenated onto the Conv's output, every sample's state must match its batch.
 */
function padConvModel(withState: boolean): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', [null, null]);
  const u = b.op('Unsqueeze', [x, b.ints('axes', [1])]);
  const padded = b.op('Pad', [u, b.ints('pads', [0, 0, 2, 0, 0, 2])], {
    mode: { kind: 'string', value: new TextEncoder().encode('reflect') },
  });
  const conv = b.op('Conv', [padded, b.weight('w', [4, 1, 3]), b.weight('bias', [4])], {}, 'conv');
  if (!withState) return b.output(conv, [null, 4, null]);
  const state = b.input('state', [2, null, 4]);
  const s = b.op('Transpose', [state], { perm: { kind: 'ints', value: [1n, 2n, 0n] } });
  return b.output(b.op('Concat', [conv, s], { axis: { kind: 'int', value: 2n } }, 'y'), [null, 4, null]);
}

describe('calibration on generated inputs for open dimensions', () => {
  it('uses the input plan’s sizes (time 512, not 1), so a reflect Pad runs', async () => {
    const { model } = padConvModel(false);
    const r = await staticInt8.run(model, staticInt8.options.parse({}), {});
    expect(r.changed).toBe(true);
    expect(opTypes(model)).toContain('QuantizeLinear');
  }, 60_000);

  it('runs one sample at a time when another input (a recurrent state) has a batch axis too', async () => {
    const { model } = padConvModel(true);
    const r = await staticInt8.run(model, staticInt8.options.parse({}), {});
    expect(r.changed).toBe(true);
    const mixed = padConvModel(true).model;
    const m = await mixedPrecision.run(mixed, mixedPrecision.options.parse({ metric: 'cosine', target: 0.5, evalSamples: 8 }), {});
    expect(m.changed).toBe(true);
  }, 60_000);

  it('lithe eval on generated inputs uses the same sizes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lithe-open-length-'));
    try {
      const file = join(dir, 'pad-conv.onnx');
      writeFileSync(file, encodeOnnx(padConvModel(false).model));
      const report = await evaluateModel({ model: file, reference: file, perLayer: false });
      expect(report.data.random).toBe(true);
      expect(report.fidelity?.cosine).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
