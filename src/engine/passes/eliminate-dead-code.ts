import { z } from 'zod';
import { definePass } from './pass';
import { removeDeadCode } from './util/dead-code';

/** Removes nodes, initializers and value_info entries nothing uses. */
export const eliminateDeadCode = definePass({
  name: 'eliminate-dead-code',
  title: 'Remove unused parts',
  description:
    'Deletes operations whose results are never used, weights nothing reads and leftover type annotations. ' +
    'The model gets smaller and loads faster; its results do not change.',
  options: z.object({}),
  fixedPoint: true,
  run(model) {
    const stats = removeDeadCode(model.graph);
    const changed = stats.nodesRemoved + stats.initializersRemoved + stats.valueInfoRemoved > 0;
    return { changed, stats: { ...stats } };
  },
});
