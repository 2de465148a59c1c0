/**
 * eliminate-dead-code: what no output depends on goes.
 *
 *   x ─ A ─ y (output)          x ─ A ─ y (output)
 *     └ B ─ z (unread)    →
 *
 * Nodes whose results nothing reads, initializers nothing reads, value_info of values that are gone.
 */
import { z } from 'zod';
import { definePass } from './pass';
import { removeDeadCode } from './util/dead-code';
import { rootGraphs } from './util/graph-walk';

/** Removes nodes, initializers and value_info entries nothing uses. */
export const eliminateDeadCode = definePass({
  name: 'eliminate-dead-code',
  title: 'Remove unused parts',
  description:
    'Deletes operations whose results are never used, weights nothing reads and leftover type annotations. ' +
    'The model gets smaller and loads faster; its results do not change.',
  options: z.object({}),
  formats: ['onnx', 'tflite'],
  fixedPoint: true,
  run(model) {
    const stats = { nodesRemoved: 0, initializersRemoved: 0, valueInfoRemoved: 0 };
    for (const graph of rootGraphs(model)) {
      const found = removeDeadCode(graph);
      stats.nodesRemoved += found.nodesRemoved;
      stats.initializersRemoved += found.initializersRemoved;
      stats.valueInfoRemoved += found.valueInfoRemoved;
    }
    const changed = stats.nodesRemoved + stats.initializersRemoved + stats.valueInfoRemoved > 0;
    return { changed, stats: { ...stats } };
  },
});
