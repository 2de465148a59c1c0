import type { Graph } from './graph';
import type { Node } from './node';

/**
 * Key of the IR's internal links: on a {@link Value} its producer and readers, on a {@link Node}
 * the graph it belongs to. Only the IR's own edit methods write them (this module is not
 * re-exported from the IR's index), so they stay true to the graph's node lists.
 */
export const LINKS: unique symbol = Symbol('lithe.ir.links');

/** Who writes and who reads a value: the producing node and each reading node with its number of reads. */
export interface ValueLinks {
  producer: Node | undefined;
  readers: Map<Node, number>;
}

/** The hooks a graph calls when it takes a node into its list or drops it. */
export interface NodeLinks {
  attach(graph: Graph): void;
  detach(): void;
}
