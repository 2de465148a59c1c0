import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineContext } from '../context';
import { readOnnx, writeOnnx } from '../formats/onnx';
import type { Model } from '../ir/model';
import type { Node } from '../ir/node';
import { modelGraphs } from '../passes/util/graph-walk';
import { createOnnxSession, prepareFeeds, type FeedOptions, type OrtConfig } from '../runtime/onnx';
import { profileModels } from './profile-session';
import type { ParsedTrace } from './profile-trace';

// ONNX Runtime profiles the graph it optimized, not the model as written: it fuses nodes
// (Conv+Relu → FusedConv, DequantizeLinear→Conv→QuantizeLinear → QLinearConv) and names the new
// nodes after one of the nodes it fused ("<name>_token_7", "fused <name>"), or after an output
// ("<output>_nchwc"). To map time back, a profiling copy of each model gets one short unique
// name per node ("lithe_n12"); a profiled node belongs to the model node whose copy name it
// holds, else to the one whose output is the longest prefix of its name, up to a "_". Nodes the
// runtime adds itself (layout reorders) match none and are counted apart.

/** Node names of a profiling copy, to find the model node behind a runtime node. */
const NODE_PREFIX = 'lithe_n';

/** Time of one model node per inference, µs (index = run). */
export interface NodeTimes {
  node: Node;
  runsUs: number[];
}

/** A model profiled with ONNX Runtime, its time mapped back onto its own nodes. */
export interface LayerProfile {
  /** The model as read (node names as written; the profiling copy's names are not kept). */
  model: Model;
  /** Time per model node; nodes the runtime never ran on their own (fused away) are absent. */
  nodes: Map<Node, NodeTimes>;
  /** Time of runtime nodes that match no model node (layout changes the runtime adds), per run. */
  unmatchedUs: number[];
  /** All node time per run. */
  totalUs: number[];
  runs: number;
}

/** Renames every node of `model` (subgraphs included) to a unique short name; returns the lookup. */
function nameNodes(model: Model): { lookup: Map<string, Node>; restore: () => void } {
  const lookup = new Map<string, Node>();
  const original = new Map<Node, string>();
  let k = 0;
  for (const graph of modelGraphs(model))
    for (const node of graph.nodes) {
      original.set(node, node.name);
      node.name = `${NODE_PREFIX}${k++}`;
      lookup.set(node.name, node);
    }
  for (const node of original.keys()) {
    const out = node.outputs[0];
    if (out && !lookup.has(out.name)) lookup.set(out.name, node);
  }
  return {
    lookup,
    restore: () => {
      for (const [node, name] of original) node.name = name;
    },
  };
}

const OWN_NAME = new RegExp(`${NODE_PREFIX}\\d+`);

/**
 * The model node behind a runtime node name: the profiling copy's node name anywhere in it
 * ("fused lithe_n7", "lithe_n7_token_2"), else the longest known name or output that is a prefix
 * of it ending at a "_" ("<output>_nchwc").
 */
export function matchRuntimeName(name: string, lookup: ReadonlyMap<string, Node>): Node | undefined {
  const own = OWN_NAME.exec(name)?.[0];
  const hit = own !== undefined ? lookup.get(own) : undefined;
  if (hit) return hit;
  for (let end = name.length; end > 0; end = name.lastIndexOf('_', end - 1)) {
    const hit = lookup.get(name.slice(0, end));
    if (hit) return hit;
  }
  return undefined;
}

/** Maps a parsed trace of a profiling copy onto the copy's nodes. */
export function attributeTrace(trace: ParsedTrace, model: Model, lookup: ReadonlyMap<string, Node>): LayerProfile {
  const zeros = (): number[] => new Array<number>(trace.runs).fill(0);
  const nodes = new Map<Node, NodeTimes>();
  const unmatchedUs = zeros();
  const totalUs = zeros();
  for (const traced of trace.nodes) {
    const run = Math.min(trace.runs - 1, traced.run ?? 0);
    totalUs[run] = (totalUs[run] ?? 0) + traced.selfUs;
    const node = matchRuntimeName(traced.name, lookup);
    if (!node) {
      unmatchedUs[run] = (unmatchedUs[run] ?? 0) + traced.selfUs;
      continue;
    }
    const times = nodes.get(node) ?? { node, runsUs: zeros() };
    times.runsUs[run] = (times.runsUs[run] ?? 0) + traced.selfUs;
    nodes.set(node, times);
  }
  return { model, nodes, unmatchedUs, totalUs, runs: trace.runs };
}

/**
 * Profiles ONNX models on the same inputs, runs interleaved, and maps each one's time back onto
 * its own nodes. The models must take the same inputs (an original and an optimized version).
 */
export async function profileLayers(
  paths: readonly string[],
  config: OrtConfig,
  inputs: FeedOptions,
  runs: number,
  ctx: EngineContext = {},
): Promise<LayerProfile[]> {
  const folder = mkdtempSync(join(tmpdir(), 'lithe-layers-'));
  try {
    const copies = paths.map((path, i) => {
      const model = readOnnx(path, ctx);
      const named = nameNodes(model);
      const file = join(folder, `model-${i}.onnx`);
      writeOnnx(model, file, { externalData: 'inline' }, ctx);
      named.restore();
      return { model, lookup: named.lookup, file };
    });
    const [first] = copies;
    if (!first) return [];
    const probe = await createOnnxSession(first.file, config);
    let feeds;
    try {
      feeds = prepareFeeds(probe.session, inputs, paths[0] ?? first.file).feeds;
    } finally {
      await probe.session.release();
    }
    const traces = await profileModels(
      copies.map((copy) => copy.file),
      config,
      feeds,
      runs,
      ctx.signal,
    );
    return traces.map((trace, i) => {
      const copy = copies[i];
      if (!copy) throw new Error('a profile without its model');
      return attributeTrace(trace, copy.model, copy.lookup);
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
