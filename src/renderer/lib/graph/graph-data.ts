import type { IoSummary, ModelSummary, NodeSummary } from '../../../contract';

/** What a box of the graph view stands for. */
export type GraphNodeKind = 'op' | 'input' | 'output';

/** One box of the graph view. */
export interface GraphNode {
  /** Unique within the graph: `n<index>` for operators, `in:<name>` / `out:<name>` for the model's inputs and outputs. */
  id: string;
  kind: GraphNodeKind;
  /** Operator type, or "Input" / "Output". */
  title: string;
  /** A short form of the node's (or tensor's) name for the box. */
  label: string;
  /** The full name, searched and shown in the details. */
  name: string;
  /** The node as the engine described it (operators only). */
  node?: NodeSummary;
  io?: IoSummary;
}

/** A tensor flowing from one box to another. */
export interface GraphEdge {
  from: string;
  to: string;
  /** The tensor's name and its type ("float32[1,3,224,224]"). */
  tensor: string;
  shape: string;
}

/** The model's top-level graph as boxes and arrows. */
export interface GraphData {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const LABEL_MAX = 28;

/** The last meaningful part of a long generated name: "a/b/conv_3/Relu6;a/b/…" → "conv_3/Relu6". */
export function shortName(name: string): string {
  const first = name.split(';')[0] ?? name;
  const parts = first.split('/').filter(Boolean);
  const tail = parts.slice(-2).join('/') || first;
  return tail.length > LABEL_MAX ? `…${tail.slice(-(LABEL_MAX - 1))}` : tail;
}

/**
 * Boxes for the model's inputs, operators and outputs, and an arrow for every tensor an operator reads
 * from another box. Weights (tensors no box produces) are not boxes: they show in a node's details.
 */
export function buildGraphData(summary: Pick<ModelSummary, 'inputs' | 'outputs' | 'nodes'>): GraphData {
  const nodes: GraphNode[] = [];
  const producer = new Map<string, string>();
  for (const io of summary.inputs) {
    const id = `in:${io.name}`;
    nodes.push({ id, kind: 'input', title: 'Input', label: shortName(io.name), name: io.name, io });
    producer.set(io.name, id);
  }
  for (const node of summary.nodes) {
    const id = `n${node.index}`;
    nodes.push({
      id,
      kind: 'op',
      title: node.type,
      label: shortName(node.name || node.outputs[0]?.name || node.type),
      name: node.name,
      node,
    });
    for (const output of node.outputs) if (output.name) producer.set(output.name, id);
  }
  const edges: GraphEdge[] = [];
  for (const node of summary.nodes) {
    for (const input of node.inputs) {
      const from = input.name ? producer.get(input.name) : undefined;
      if (from) edges.push({ from, to: `n${node.index}`, tensor: input.name, shape: input.shape });
    }
  }
  for (const io of summary.outputs) {
    const id = `out:${io.name}`;
    nodes.push({ id, kind: 'output', title: 'Output', label: shortName(io.name), name: io.name, io });
    const from = producer.get(io.name);
    if (from) edges.push({ from, to: id, tensor: io.name, shape: '' });
  }
  return { nodes, edges };
}

/** Inputs of a node that no box produces: its weights and other constants. */
export function constantInputs(node: NodeSummary, graph: GraphData): NodeSummary['inputs'] {
  const fed = new Set(graph.edges.filter((edge) => edge.to === `n${node.index}`).map((edge) => edge.tensor));
  return node.inputs.filter((input) => input.name !== '' && !fed.has(input.name));
}

/** Ids of the boxes whose operator, name or tensor names contain `query` (case-insensitive). */
export function searchGraph(graph: GraphData, query: string): string[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  return graph.nodes
    .filter((node) => {
      if (node.title.toLowerCase().includes(needle) || node.name.toLowerCase().includes(needle)) return true;
      const tensors = node.node ? [...node.node.inputs, ...node.node.outputs] : [];
      return tensors.some((tensor) => tensor.name.toLowerCase().includes(needle));
    })
    .map((node) => node.id);
}
