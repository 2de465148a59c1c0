import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTflite, encodeTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { optimizeModel } from '../../../src/engine/optimize/optimize-model';
import { mixedPrecision } from '../../../src/engine/quantize/mixed-precision';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import type { Graph } from '../../../src/engine/ir/graph';
import { fullyConnectedModel } from '../helpers/tflite-builders';
import { GraphBuilder } from '../passes/graph-builder';

/** A full-integer TFLite model (int8 FULLY_CONNECTED, int8 input and output), as tflite-micro ships them. */
async function integerModel(): Promise<Uint8Array> {
  const model = decodeTflite(
    writeTflite(
      fullyConnectedModel(
        Array.from({ length: 8 }, (_, i) => [(i - 3.5) / 2, i / 8]),
        Array.from({ length: 8 }, (_, i) => i / 10),
      ),
    ),
  );
  await staticInt8.run(model, staticInt8.options.parse({ io: 'int8' }), {});
  return encodeTflite(model);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lithe-mixed-int8-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('mixed precision on an already-integer TFLite model', () => {
  it('changes nothing and says so', async () => {
    const model = decodeTflite(await integerModel());
    const r = await mixedPrecision.run(model, mixedPrecision.options.parse({}), {});
    expect(r.changed).toBe(false);
    expect(r.notes).toContain('No operator could be quantized to int8.');
  }, 60_000);

  it('the mixed recipe reports no change, writes the original bytes and says why in its headline', async () => {
    const bytes = await integerModel();
    const file = join(dir, 'int8.tflite');
    await writeFile(file, bytes);
    const outDir = join(dir, 'run');
    const report = await optimizeModel({ model: file, outDir, recipe: 'mixed' });
    expect(report.changed).toBe(false);
    expect(report.headline).toMatch(/^Nothing changed: .*changed nothing: .*No operator could be quantized to int8\./);
    expect(new Uint8Array(await readFile(report.output.path))).toEqual(bytes);
  }, 120_000);
});

describe('int8 steps on an ONNX model whose layers all sit inside If branches', () => {
  /** x[1,4], flag → If(flag) { x·W } else { x·(−W) }: the MatMuls live in the branches only. */
  function ifModel(): GraphBuilder {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 4]);
    const flag = b.input('flag', [], 'bool');
    const w = b.weight('w', [4, 4]);
    const branch = (name: string, negate: boolean): Graph => {
      const inner = new GraphBuilder();
      inner.graph.name = name;
      inner.graph.parent = b.graph;
      inner.output(inner.op('MatMul', [x, negate ? inner.op('Neg', [w]) : w]), [1, 4]);
      return inner.graph;
    };
    const y = b.op('If', [flag], {
      then_branch: { kind: 'graph', value: branch('then', false) },
      else_branch: { kind: 'graph', value: branch('else', true) },
    });
    return b.output(y, [1, 4]);
  }
  const note =
    'No operator in the main graph could be quantized to int8; the operators inside the branches of 1 control-flow node(s) (If) are not quantized yet.';

  it('static int8 and mixed change nothing and name the If', async () => {
    const a = await staticInt8.run(ifModel().model, staticInt8.options.parse({}), {});
    expect(a.changed).toBe(false);
    expect(a.notes).toContain(note);
    const b = await mixedPrecision.run(ifModel().model, mixedPrecision.options.parse({}), {});
    expect(b.changed).toBe(false);
    expect(b.notes).toContain(note);
  }, 60_000);
});
