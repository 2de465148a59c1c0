import { describe, expect, it } from 'vitest';
import { LitheError } from '../../../../src/engine/errors';
import { writeTflite } from '../../../../src/engine/formats/tflite';
import { createTfliteSession } from '../../../../src/engine/runtime/tflite';
import { addModel, bufferOf, smallCnnModel } from '../../helpers/tflite-builders';

// smallCnnModel's 3×3 VALID depthwise convolution needs an image of at least 3×3 after the first
// convolution; stored at [1,1,1,4] it cannot be prepared ("BytesRequired number of elements overflowed").
function tooSmallCnn(signature: number[] | null): Uint8Array {
  const model = smallCnnModel();
  const image = model.subgraphs[0]?.tensors[0];
  if (!image) throw new Error('smallCnnModel has no input');
  image.shape = [1, 1, 1, 4];
  image.shapeSignature = signature;
  return writeTflite(model);
}

async function loadFailure(bytes: Uint8Array): Promise<LitheError> {
  try {
    const session = await createTfliteSession(bytes, { file: 'dynamic.tflite' });
    await session.dispose();
  } catch (error) {
    expect(error).toBeInstanceOf(LitheError);
    return error as LitheError;
  }
  throw new Error('expected the load to fail');
}

const RAW_LOG = /INFO:|XNNPACK|third_party|subgraph\.cc|BytesRequired|delegate|INVALID_ARGUMENT/;

describe('a TFLite model the runtime cannot prepare', { timeout: 120_000 }, () => {
  it('with open input dimensions stored as 1: names the file, the input, its sizes and the operator in plain words', async () => {
    const error = await loadFailure(tooSmallCnn([-1, -1, -1, 4]));
    expect(error.file).toBe('dynamic.tflite');
    expect(error.message).toMatch(/^dynamic\.tflite: /);
    expect(error.reason).toMatch(/at the input sizes stored in the file/);
    expect(error.reason).toContain('its input image [?, ?, ?, 4] (stored as [1, 1, 1, 4]) has open dimensions');
    expect(error.reason).toContain('DEPTHWISE_CONV_2D (node 1) cannot be prepared: a tensor would need an impossible number of elements');
    expect(error.reason).not.toMatch(RAW_LOG);
  });

  it('with fixed input sizes: the operator and the reason, no log lines', async () => {
    const error = await loadFailure(tooSmallCnn(null));
    expect(error.reason).toMatch(
      /^the TFLite runtime cannot load this model: its operator DEPTHWISE_CONV_2D \(node 1\) cannot be prepared: /,
    );
    expect(error.reason).not.toMatch(/open dimensions/);
    expect(error.reason).not.toMatch(RAW_LOG);
  });

  it('an operator with too few inputs: how many it has and takes, without blaming open sizes', async () => {
    const model = addModel();
    const add = model.subgraphs[0]?.operators[0];
    const a = model.subgraphs[0]?.tensors[0];
    if (!add || !a) throw new Error('addModel has no ADD');
    add.inputs = [0]; // ADD of one input
    a.shapeSignature = [-1, 4];
    const error = await loadFailure(writeTflite(model));
    expect(error.reason).toMatch(/its operator ADD \(node 0\) cannot be prepared: it has 1 input where it takes 2\.$/);
    expect(error.reason).not.toMatch(/open dimensions/);
    expect(error.reason).not.toMatch(RAW_LOG);
  });

  it('a constant whose data is longer than its shape: the tensor by name, and both sizes', async () => {
    const model = addModel();
    const graph = model.subgraphs[0];
    const b = graph?.tensors[1];
    if (!graph || !b) throw new Error('addModel has no b');
    b.buffer = 1; // b becomes a constant float32[1,4] (16 bytes) whose buffer holds 8 floats
    model.buffers.push(bufferOf(new Float32Array(8)));
    graph.inputs = [0];
    const error = await loadFailure(writeTflite(model));
    expect(error.reason).toBe(
      'the TFLite runtime cannot load this model: its tensor b (number 1, shape [1, 4]) is invalid: ' +
        'its shape and element type need 16 bytes, but its data holds 32.',
    );
  });
});
