import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../src/engine/inspect';
import { intsAttr } from '../../../src/engine/passes/util/attributes';
import { GraphBuilder } from '../passes/graph-builder';

describe('MACs with open dimensions', () => {
  it('counts a convolution over an open-sized image at the representative 224×224, and says so', () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 3, 'H', 'W']);
    const y = b.op('Conv', [x, b.weight('w', [8, 3, 3, 3])], { pads: intsAttr([1, 1, 1, 1]) });
    b.output(y, ['N', 8, 'H', 'W']);
    const summary = summarizeModel(b.model, 'conv.onnx', 0, { nodes: false });
    expect(summary.macs).toBe(8 * 224 * 224 * 3 * 3 * 3);
    expect(summary.macsNotes[0]).toMatch(
      /^open dimensions at representative sizes: x dim "N" \(axis 0\) = 1: batch default; x dim "H" \(axis 2\) = 224/,
    );
    // The model itself keeps its declared, open shapes.
    expect(summary.inputs[0]?.shape).toEqual(['N', 3, 'H', 'W']);
  });
});
