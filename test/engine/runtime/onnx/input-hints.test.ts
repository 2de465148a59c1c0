import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../../src/engine/formats/onnx';
import { inferShapes } from '../../../../src/engine/ir';
import { Tensor } from '../../../../src/engine/ir/tensor';
import { inputHints } from '../../../../src/engine/runtime/onnx/input-hints';
import { planInputs } from '../../../../src/engine/runtime/onnx/input-plan';
import { createVerifier } from '../../../../src/engine/verify/verifier';
import { GraphBuilder } from '../../passes/graph-builder';

const int = (value: number) => ({ kind: 'int' as const, value: BigInt(value) });
const scalar = (name: string, value: number): Tensor =>
  new Tensor(name, 'int64', [], new Uint8Array(BigInt64Array.from([BigInt(value)]).buffer));

// The embeddings of a BERT-style text model: word ids, segment ids (two segments) and positions
// 0 … sequence−1 from a Range over the input's own length, each looked up in its table.
function bertEmbeddings(): GraphBuilder {
  const b = new GraphBuilder(13);
  const ids = b.input('input_ids', [1, 'sequence'], 'int64');
  const types = b.input('token_type_ids', [1, 'sequence'], 'int64');
  const words = b.op('Gather', [b.weight('words', [50, 8]), ids]);
  const segments = b.op('Gather', [b.weight('segments', [2, 8]), b.op('Cast', [types], { to: int(7) })]);
  const length = b.op('Gather', [b.op('Shape', [ids]), b.ints('one', [1], [])], { axis: int(0) });
  const start = b.op('Constant', [], { value: { kind: 'tensor', value: scalar('zero', 0) } });
  const step = b.op('Constant', [], { value: { kind: 'tensor', value: scalar('step', 1) } });
  const positions = b.op('Unsqueeze', [b.op('Range', [start, length, step]), b.ints('axis0', [0])]);
  const placed = b.op('Gather', [b.weight('positions', [16, 8]), positions]);
  b.output(b.op('Add', [b.op('Add', [words, segments]), placed], {}, 'embedded'));
  return b;
}

describe('input hints from the graph', () => {
  it('reads the value range of id inputs and the longest sequence the position table allows', () => {
    const b = bertEmbeddings();
    expect(inputHints(b.model)).toEqual({ valueEnds: { input_ids: 50, token_type_ids: 2 }, dimLimits: { sequence: 16 } });
    const [ids, types] = planInputs(
      b.model.graph.inputs.map((v) => ({ name: v.name, dtype: 'int64', shape: [1, 'sequence'] })),
      {},
      undefined,
      inputHints(b.model),
    );
    expect(ids?.shape).toEqual([1, 16]);
    expect(ids?.assumed.join()).toMatch(/the most the model's own tables allow/);
    expect(types?.valueEnd).toBe(2);
    inferShapes(b.model);
    const placed = b.model.graph.nodes.find((n) => n.inputs[0]?.name === 'positions')?.outputs[0]?.type;
    expect(placed?.kind === 'tensor' ? placed.shape : undefined).toEqual([1, 'sequence', 8]);
  });

  it('lets the original run on generated inputs, so a rewrite of it can be checked', async () => {
    const bytes = encodeOnnx(bertEmbeddings().model);
    const verifier = await createVerifier(bytes, 'onnx', { samples: 3 });
    try {
      expect((await verifier.verify(bytes, 'onnx')).verdict).toBe('identical');
    } finally {
      await verifier.dispose();
    }
  });
});
