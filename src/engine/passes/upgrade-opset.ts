/**
 * upgrade-opset: a model on an old ONNX operator set moves to a newer one, operator by operator.
 *
 *   opset 9: Upsample(x, scales)      →      opset 13: Resize(x, roi, scales)
 *
 * Each operator steps through the versions that changed it (adapters in util/opset-adapters.ts).
 */
import { z } from 'zod';
import { LitheError } from '../errors';
import type { Model } from '../ir/model';
import { definePass, type PassResult } from './pass';
import { removeDeadCode } from './util/dead-code';
import { modelGraphs } from './util/graph-walk';
import { OP_HISTORY, irVersionFor } from './util/opset-history';
import { inferShapesTemporarily } from './util/shapes';

const isDefaultDomain = (d: string): boolean => d === '' || d === 'ai.onnx';

// Versions of `op` introduced after `from` up to `to`.
function changesBetween(op: string, from: number, to: number): number[] | undefined {
  return OP_HISTORY[op]?.versions.filter((v) => v > from && v <= to);
}

// Throws one error listing every operator of the model without a known upgrade path.
function checkCoverage(model: Model, from: number, to: number): void {
  const missing = new Set<string>();
  for (const g of modelGraphs(model)) {
    for (const n of g.nodes) if (isDefaultDomain(n.domain) && !OP_HISTORY[n.opType]) missing.add(n.opType);
  }
  if (missing.size > 0) {
    throw new LitheError(
      'unsupported',
      `cannot upgrade from opset ${from} to ${to}: no version adapter for ${[...missing].sort().join(', ')}`,
    );
  }
}

/** Moves a model using an old ONNX operator set to a newer one. */
export const upgradeOpset = definePass({
  name: 'upgrade-opset',
  title: 'Update old model format',
  description:
    'Rewrites a model saved with an old version of the ONNX operator set (which current runtimes may refuse to load) ' +
    'into the current form: old-style settings become what newer versions expect. The computation stays the same.',
  options: z.object({
    target: z.number().int().min(7).max(21).default(13).describe('ONNX operator set version to upgrade to.'),
  }),
  formats: ['onnx'],
  run(model, options): PassResult {
    const imported = model.opsetVersion('');
    if (imported === undefined)
      return { changed: false, stats: { nodesAdapted: 0 }, notes: ['the model does not use the ONNX operator set'] };
    const from = imported;
    const to = options.target;
    if (from >= to) return { changed: false, stats: { nodesAdapted: 0 }, notes: [`the model already uses opset ${from}`] };
    checkCoverage(model, from, to);
    let nodesAdapted = 0;
    const forgetInferred = inferShapesTemporarily(model);
    for (const graph of modelGraphs(model)) {
      for (const node of [...graph.nodes]) {
        if (!isDefaultDomain(node.domain)) continue;
        // Step through the operator's versions; an adapter may replace the operator (Upsample →
        // Resize), and the new operator's later versions then apply.
        let adapted = false;
        for (let version = from; ;) {
          const next = changesBetween(node.opType, version, to)?.[0];
          if (next === undefined) break;
          const adapt = OP_HISTORY[node.opType]?.adapters?.[next];
          adapt?.({ graph, node, target: to });
          adapted ||= adapt !== undefined;
          version = next;
        }
        if (adapted) nodesAdapted++;
      }
      removeDeadCode(graph);
    }
    forgetInferred();
    const opset = model.opsets.find((o) => isDefaultDomain(o.domain));
    if (opset) opset.version = to;
    else model.opsets.push({ domain: '', version: to });
    // IR 4 is the first that lets initializers (which adapters add) stay out of the graph inputs.
    model.irVersion = Math.max(model.irVersion ?? 0, irVersionFor(to), 4);
    return { changed: true, stats: { nodesAdapted, fromOpset: from, toOpset: to } };
  },
});
