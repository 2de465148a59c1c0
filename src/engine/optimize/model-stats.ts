import type { Model } from '../ir/model';

/** Node count and operator histogram of a model's main graph. */
export function modelStats(model: Model): { nodeCount: number; opCounts: Record<string, number> } {
  const opCounts: Record<string, number> = {};
  for (const node of model.graph.nodes) {
    const key = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType;
    opCounts[key] = (opCounts[key] ?? 0) + 1;
  }
  return { nodeCount: model.graph.nodes.length, opCounts };
}
