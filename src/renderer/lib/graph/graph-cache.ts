import type { ModelSummary } from '../../../contract';
import { buildGraphData, type GraphData } from './graph-data';
import { layoutGraph, type GraphLayout } from './graph-layout';

/** A model's graph and its layout. */
export interface LaidOutGraph {
  data: GraphData;
  layout: GraphLayout;
}

const laidOut = new WeakMap<ModelSummary, LaidOutGraph>();

/** The graph of `summary`, laid out once per summary (coming back to the page draws at once). */
export function graphOf(summary: ModelSummary): LaidOutGraph {
  const known = laidOut.get(summary);
  if (known) return known;
  performance.mark('lithe-graph-layout-start');
  const data = buildGraphData(summary);
  const graph = { data, layout: layoutGraph(data) };
  performance.measure('lithe-graph-layout', 'lithe-graph-layout-start');
  laidOut.set(summary, graph);
  return graph;
}
