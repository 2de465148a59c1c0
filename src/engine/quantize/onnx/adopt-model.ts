import type { Model } from '../../ir/model';

/** Replaces the contents of `target` with those of `source` (a pass's in-place result built on a copy). */
export function adoptModel(target: Model, source: Model): void {
  target.graph = source.graph;
  target.opsets = source.opsets;
  target.irVersion = source.irVersion;
  target.functions = source.functions;
  target.calledGraphs = source.calledGraphs;
  target.extras = source.extras;
}
