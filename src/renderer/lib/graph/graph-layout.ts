import dagre from '@dagrejs/dagre';
import type { GraphData } from './graph-data';

/** Where a box sits (its centre) and how big it is, in graph units (pixels at zoom 1). */
export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An arrow's path through the layout. */
export interface PlacedEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
}

/** The graph laid out top to bottom. */
export interface GraphLayout {
  nodes: Map<string, PlacedNode>;
  edges: PlacedEdge[];
  width: number;
  height: number;
}

const CHAR_WIDTH = 7;
const NODE_HEIGHT = 40;

/** Lays the graph out in layers, top to bottom, with a maintained layout library. */
export function layoutGraph(graph: GraphData): GraphLayout {
  const layout = new dagre.graphlib.Graph({ multigraph: true });
  layout.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 16, marginy: 16 });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    const width = Math.max(96, Math.min(260, 24 + CHAR_WIDTH * Math.max(node.title.length, node.label.length)));
    layout.setNode(node.id, { width, height: NODE_HEIGHT });
  }
  graph.edges.forEach((edge, index) => layout.setEdge(edge.from, edge.to, {}, `e${index}`));
  dagre.layout(layout);

  const nodes = new Map<string, PlacedNode>();
  for (const id of layout.nodes()) {
    const placed = layout.node(id);
    nodes.set(id, { id, x: placed.x, y: placed.y, width: placed.width, height: placed.height });
  }
  const edges: PlacedEdge[] = layout.edges().map((ref) => ({
    from: ref.v,
    to: ref.w,
    points: (layout.edge(ref).points ?? []).map((point: { x: number; y: number }) => ({ x: point.x, y: point.y })),
  }));
  const size = layout.graph();
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}
