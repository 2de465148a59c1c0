import type { LayerSpeed } from '../../contract/search';
import { bootstrapMedianRatio } from '../bench/bootstrap';
import { profileLayers, type LayerProfile } from '../bench/layer-profile';
import { percentile } from '../bench/stats';
import type { EngineContext } from '../context';
import type { Model } from '../ir/model';
import type { Node } from '../ir/node';
import { modelGraphs } from '../passes/util/graph-walk';
import { WEIGHT_OPS } from '../quantize/onnx/quantizable';
import { DEFAULT_ORT_CONFIG } from '../runtime/onnx';

// Which layers are slower in int8 than in float, measured: the float model and its int8 version
// are profiled on the same inputs with their runs interleaved, each runtime node's time is mapped
// back onto the model's own nodes (bench/layer-profile.ts), and the nodes are grouped into layers
// of the float model:
//
//   Conv → Relu → MaxPool  |  Conv → …        one layer per weight node, with the nodes after it
//                                             that only read its result (what a runtime fuses)
//
// In the int8 model a node that is also in the float model (same first output) belongs to that
// node's layer; an added QuantizeLinear/DequantizeLinear belongs to the layer whose value it
// converts (found through its inputs, or for a model input or a weight through its readers).
// A layer is slower when the whole 95 % interval of median(int8) / median(float) over the paired
// runs lies above 1 + minEffect.

/** The per-layer comparison of a float model and its int8 version. */
export interface Int8LayerSpeed {
  layers: LayerSpeed[];
  runs: number;
  /** Median time per inference of all nodes, ms. */
  floatTotalMs: number;
  int8TotalMs: number;
  /** Median time of runtime nodes matching no model node (layout changes the runtime adds), ms. */
  floatUnmatchedMs: number;
  int8UnmatchedMs: number;
}

const CONVERSION_OPS = new Set(['QuantizeLinear', 'DequantizeLinear']);

const median = (values: readonly number[]): number => (values.length ? percentile(Float64Array.from(values).sort(), 0.5) : 0);

/** Non-constant inputs of a node. */
const dataInputs = (node: Node) => node.inputs.filter((v) => v !== undefined && !v.initializer);

/** The float model's layers: each node's layer leader (itself or the node it directly follows). */
function layersOf(model: Model): Map<Node, Node> {
  const leader = new Map<Node, Node>();
  for (const graph of modelGraphs(model)) {
    for (const node of graph.topologicalOrder().order ?? graph.nodes) {
      const inputs = dataInputs(node);
      const only = inputs.length === 1 ? inputs[0] : undefined;
      const producer = only?.producer;
      const follows = !WEIGHT_OPS.has(node.opType) && producer?.graph === graph && only?.consumers.length === 1;
      leader.set(node, follows && producer ? (leader.get(producer) ?? producer) : node);
    }
  }
  return leader;
}

/** For each node of the int8 model, the float layer it belongs to (see the header). */
function int8Layers(int8: Model, floatByOutput: ReadonlyMap<string, Node>): Map<Node, Node> {
  const found = new Map<Node, Node | undefined>();
  const direct = (node: Node): Node | undefined => {
    for (const out of node.outputs) {
      const hit = out && floatByOutput.get(out.name);
      if (hit) return hit;
    }
    return undefined;
  };
  const walk = (node: Node, forward: boolean, depth: number): Node | undefined => {
    const hit = direct(node);
    if (hit || depth > 8) return hit;
    const next = forward
      ? node.outputs.flatMap((v) => v?.consumers ?? [])
      : dataInputs(node).flatMap((v) => (v?.producer ? [v.producer] : []));
    for (const other of next) {
      const layer = walk(other, forward, depth + 1);
      if (layer) return layer;
    }
    return undefined;
  };
  for (const graph of modelGraphs(int8))
    for (const node of graph.nodes) found.set(node, direct(node) ?? walk(node, false, 0) ?? walk(node, true, 0));
  const out = new Map<Node, Node>();
  for (const [node, layer] of found) if (layer) out.set(node, layer);
  return out;
}

interface Side {
  runsUs: number[];
  converted: boolean;
}

function add(sides: Map<Node, Side>, layer: Node, runsUs: readonly number[], runs: number, converted: boolean): void {
  const side = sides.get(layer) ?? { runsUs: new Array<number>(runs).fill(0), converted: false };
  for (let i = 0; i < runs; i++) side.runsUs[i] = (side.runsUs[i] ?? 0) + (runsUs[i] ?? 0);
  side.converted ||= converted;
  sides.set(layer, side);
}

/** Compares the two profiles layer by layer (exported for tests; {@link measureInt8Layers} profiles and calls it). */
export function compareLayerProfiles(float: LayerProfile, int8: LayerProfile, minEffect = 0.05): Int8LayerSpeed {
  const runs = Math.min(float.runs, int8.runs);
  const leader = layersOf(float.model);
  const members = new Map<Node, Node[]>();
  const floatByOutput = new Map<string, Node>();
  for (const [node, lead] of leader) {
    members.set(lead, [...(members.get(lead) ?? []), node]);
    for (const out of node.outputs) if (out) floatByOutput.set(out.name, node);
  }
  const floatSides = new Map<Node, Side>();
  for (const { node, runsUs } of float.nodes.values()) add(floatSides, leader.get(node) ?? node, runsUs, runs, false);
  const int8Of = int8Layers(int8.model, floatByOutput);
  const int8Sides = new Map<Node, Side>();
  for (const graph of modelGraphs(int8.model))
    for (const node of graph.nodes) {
      const layer = int8Of.get(node);
      if (!layer) continue;
      const lead = leader.get(layer) ?? layer;
      add(int8Sides, lead, int8.nodes.get(node)?.runsUs ?? [], runs, CONVERSION_OPS.has(node.opType));
    }
  const layers: LayerSpeed[] = [];
  for (const [lead, nodes] of members) {
    const f = floatSides.get(lead);
    const q = int8Sides.get(lead);
    const floatUs = median(f?.runsUs ?? []);
    const int8Us = median(q?.runsUs ?? []);
    if (floatUs === 0 && int8Us === 0) continue;
    const ratio = f && q && floatUs > 0 ? bootstrapMedianRatio(f.runsUs, q.runsUs) : undefined;
    const converted = q?.converted ?? false;
    layers.push({
      outputs: nodes.flatMap((n) => n.outputs.flatMap((v) => (v ? [v.name] : []))),
      name: lead.name,
      opTypes: [...new Set(nodes.map((n) => n.opType))],
      floatMs: floatUs / 1000,
      int8Ms: int8Us / 1000,
      ...(ratio ? { ratio: { median: ratio.median, low: ratio.low, high: ratio.high } } : {}),
      // A layer the float runtime fused into a neighbour but int8 runs on its own is slower too.
      slower: converted && (ratio ? ratio.low > 1 + minEffect : int8Us > 0),
    });
  }
  layers.sort((a, b) => b.int8Ms - b.floatMs - (a.int8Ms - a.floatMs));
  return {
    layers,
    runs,
    floatTotalMs: median(float.totalUs) / 1000,
    int8TotalMs: median(int8.totalUs) / 1000,
    floatUnmatchedMs: median(float.unmatchedUs) / 1000,
    int8UnmatchedMs: median(int8.unmatchedUs) / 1000,
  };
}

/**
 * Profiles a float model and its int8 version (runs interleaved, generated inputs, one thread by
 * default) and says, layer by layer, where int8 is slower.
 */
export async function measureInt8Layers(
  floatModel: string,
  int8Model: string,
  options: { runs?: number; threads?: number; minEffect?: number } = {},
  ctx: EngineContext = {},
): Promise<Int8LayerSpeed> {
  const config = { ...DEFAULT_ORT_CONFIG, threads: options.threads ?? 1 };
  const [float, int8] = await profileLayers([floatModel, int8Model], config, { dims: {}, values: {}, seed: 1 }, options.runs ?? 30, ctx);
  if (!float || !int8) throw new Error('profiling returned no traces');
  return compareLayerProfiles(float, int8, options.minEffect);
}
