import { describe, expect, it } from 'vitest';
import { pickShard } from '../../../src/engine/batch/shard';

const paths = Array.from({ length: 200 }, (_, i) => `group${i % 7}/model-${i}.onnx`);

describe('shards', () => {
  it('cover every model exactly once, for any shard count', () => {
    for (const count of [1, 2, 3, 8]) {
      const seen = Array.from({ length: count }, (_, i) => pickShard(paths, { index: i + 1, count })).flat();
      expect(seen.sort()).toEqual([...paths].sort());
    }
  });

  it('split deterministically and roughly evenly', () => {
    const first = pickShard(paths, { index: 1, count: 2 });
    expect(pickShard(paths, { index: 1, count: 2 })).toEqual(first);
    expect(first.length).toBeGreaterThan(60);
    expect(first.length).toBeLessThan(140);
  });

  it('keep a model on its shard when others are added', () => {
    const before = pickShard(paths, { index: 2, count: 3 });
    const after = pickShard([...paths, 'new/extra.onnx'], { index: 2, count: 3 });
    expect(after.filter((path) => path !== 'new/extra.onnx')).toEqual(before);
  });
});
