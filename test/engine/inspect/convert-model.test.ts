import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { convertModel } from '../../../src/engine/inspect';
import { GraphBuilder } from '../passes/graph-builder';

const dir = mkdtempSync(join(tmpdir(), 'lithe-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('convertModel between formats', () => {
  it('runs the converted model against the original and reports the figures, fixing open sizes as asked', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', ['N', 4]);
    b.output(b.op('Relu', [b.op('MatMul', [x, b.weight('w', [4, 3])])]));
    const src = join(dir, 'mlp.onnx');
    writeFileSync(src, encodeOnnx(b.model));
    const result = await convertModel(src, join(dir, 'mlp.tflite'), {}, { dims: { N: 2 } });
    expect(result).toMatchObject({ fromFormat: 'onnx', toFormat: 'tflite' });
    expect(result.check?.status).toBe('matches');
    expect(result.check?.outputs[0]?.relative).toBeLessThanOrEqual(1e-4);
    expect(result.check?.words).toMatch(/^matches the original on 3 random sample\(s\): .*max relative error/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);
});
