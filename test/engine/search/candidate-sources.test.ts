import { describe, expect, it } from 'vitest';
import { CANDIDATE_SOURCES } from '../../../src/engine/search/candidate-sources';

const source = (id: string) => {
  const found = CANDIDATE_SOURCES.find((s) => s.id === id);
  if (!found) throw new Error(`no source ${id}`);
  return found;
};

describe('int8 with the layers slower in int8 kept in float', () => {
  it('is static int8 with those layers excluded, once the per-layer profile named some', () => {
    const recipe = source('int8-static-except-slow').recipe({ format: 'onnx', hasData: false, slowerInInt8: ['/c1/Conv_output_0', 'r1'] });
    const last = recipe?.steps.at(-1);
    expect(last).toMatchObject({ pass: 'quantize-int8-static', options: { exclude: ['/c1/Conv_output_0', 'r1'] } });
    expect(recipe?.name).toBe('int8-static-except-slow');
  });

  it('has nothing to try before the profile, when no layer was slower, or for the other format', () => {
    const s = source('int8-static-except-slow');
    expect(s.layerSpeedOf).toEqual({ float: 'graph', int8: 'int8-static' });
    expect(s.recipe({ format: 'onnx', hasData: false })).toBeUndefined();
    expect(s.recipe({ format: 'onnx', hasData: false, slowerInInt8: [] })).toBeUndefined();
    expect(s.recipe({ format: 'tflite', hasData: false, slowerInInt8: ['x'] })).toBeUndefined();
    const converted = source('onnx-int8-static-except-slow');
    expect(converted).toMatchObject({ base: 'onnx', layerSpeedOf: { float: 'onnx', int8: 'onnx-int8-static' } });
    expect(converted.recipe({ format: 'tflite', hasData: false, slowerInInt8: ['x'] })).toBeDefined();
  });
});
