import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeTflite,
  encodeTflite,
  readTflite,
  readTfliteFile,
  tfliteFromIr,
  tfliteToIr,
  writeTflite,
  writeTfliteFile,
} from '../../../../src/engine/formats/tflite';
import { Tensor } from '../../../../src/engine/ir/tensor';
import { fullyConnectedModel, kitchenSinkModel } from '../../helpers/tflite-builders';
import { at } from '../../../helpers/at';

describe('TFLite ↔ IR', () => {
  it('maps tensors, constants and operators onto the IR', () => {
    const model = decodeTflite(
      writeTflite(
        fullyConnectedModel(
          [
            [1, 2],
            [3, 4],
          ],
          [0.5, -0.5],
        ),
      ),
    );
    expect(model.format).toBe('tflite');
    expect(model.graph.inputs.map((v) => v.name)).toEqual(['x']);
    expect(model.graph.initializers.map((t) => [t.name, t.dtype, t.dims])).toEqual([
      ['w', 'float32', [2, 2]],
      ['bias', 'float32', [2]],
    ]);
    const node = at(model.graph.nodes, 0);
    expect([node.domain, node.opType, node.name]).toEqual(['tflite', 'FULLY_CONNECTED', 'y']);
    expect(node.int('fused_activation_function', -1)).toBe(1);
    expect(at(model.graph.initializers, 0).toTypedArray()).toEqual(new Float32Array([1, 2, 3, 4]));
  });

  it('writes an unchanged model back exactly as it was read', () => {
    const source = kitchenSinkModel();
    expect(tfliteFromIr(tfliteToIr(source))).toEqual(source);
    const bytes = writeTflite(source);
    expect(encodeTflite(decodeTflite(bytes))).toEqual(bytes);
  });

  it('writes changes made in the IR: attributes, renamed values, new constants, removed weights', () => {
    const model = decodeTflite(
      writeTflite(
        fullyConnectedModel(
          [
            [1, 2],
            [3, 4],
          ],
          [0.5, -0.5],
        ),
      ),
    );
    const node = at(model.graph.nodes, 0);
    node.attributes = node.attributes.map((a) =>
      a.name === 'fused_activation_function' ? { ...a, value: { kind: 'int', value: 3n } } : a,
    );
    at(model.graph.outputs, 0).name = 'logits';
    const bias = model.graph.value('bias')!;
    bias.initializer!.setBytes(new Uint8Array(new Float32Array([7, 8]).buffer));
    const written = readTflite(encodeTflite(model));
    const g = at(written.subgraphs, 0);
    expect(g.tensors.map((t) => t.name)).toEqual(['x', 'w', 'bias', 'logits']);
    expect((at(g.operators, 0).builtinOptions?.table as unknown as { fusedActivationFunction: number }).fusedActivationFunction).toBe(3);
    expect(new Float32Array(at(written.buffers, at(g.tensors, 2).buffer).data!.slice().buffer)).toEqual(new Float32Array([7, 8]));
    // the old bias data was used and no longer is: it is dropped
    expect(written.buffers.length).toBe(
      readTflite(
        encodeTflite(
          decodeTflite(
            writeTflite(
              fullyConnectedModel(
                [
                  [1, 2],
                  [3, 4],
                ],
                [0, 0],
              ),
            ),
          ),
        ),
      ).buffers.length,
    );
  });

  it('adds a constant created in the IR as a new buffer', () => {
    const model = decodeTflite(
      writeTflite(
        fullyConnectedModel(
          [
            [1, 2],
            [3, 4],
          ],
          [0.5, -0.5],
        ),
      ),
    );
    const w = new Tensor('w2', 'float32', [2, 2], new Uint8Array(new Float32Array([5, 6, 7, 8]).buffer));
    const value = model.graph.addInitializer(w);
    value.type = { kind: 'tensor', dtype: 'float32', shape: [2, 2] };
    at(model.graph.nodes, 0).setInput(1, value);
    const written = readTflite(encodeTflite(model));
    const t = at(written.subgraphs, 0).tensors.find((x) => x.name === 'w2')!;
    expect(new Float32Array(at(written.buffers, t.buffer).data!.slice().buffer)).toEqual(new Float32Array([5, 6, 7, 8]));
    expect(at(written.subgraphs, 0).tensors.some((x) => x.name === 'w')).toBe(false);
  });

  it('reads and writes files without touching the input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lithe-tflite-'));
    try {
      const input = join(dir, 'in.tflite');
      writeTfliteFile(decodeTflite(writeTflite(kitchenSinkModel())), input);
      const model = readTfliteFile(input);
      expect(() => writeTfliteFile(model, input)).toThrow(/refusing to write over/);
      writeTfliteFile(model, join(dir, 'out.tflite'));
      expect(readFileSync(join(dir, 'out.tflite'))).toEqual(readFileSync(input));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
