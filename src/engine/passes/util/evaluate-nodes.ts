import ort from 'onnxruntime-node';
import { encodeOnnx } from '../../formats/onnx';
import { isDType } from '../../ir/dtype';
import { Graph } from '../../ir/graph';
import { Model } from '../../ir/model';
import { Node } from '../../ir/node';
import { Tensor } from '../../ir/tensor';
import { Value } from '../../ir/value';
import { shareTensor } from './constants';

/** Converts an onnxruntime output into an IR tensor (`undefined` for strings and packed 4-bit types). */
export function tensorFromOrt(name: string, t: ort.Tensor): Tensor | undefined {
  if (t.type === 'string' || t.type === 'int4' || t.type === 'uint4' || !isDType(t.type)) return undefined;
  const data = t.data as ArrayBufferView;
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return new Tensor(name, t.type, [...t.dims], bytes);
}

/**
 * Runs `nodes` (in an order where producers come first) of `model` in onnxruntime, with the
 * tensors of `constants` as their inputs, in one session. Returns every node output by name.
 */
export async function evaluateNodes(model: Model, nodes: Node[], constants: Map<string, Tensor>): Promise<Map<string, Tensor>> {
  const graph = new Graph('lithe_constant_subgraph');
  const produced = new Set<string>();
  for (const n of nodes) for (const o of n.outputs) if (o) produced.add(o.name);
  const needed = new Set<string>();
  for (const n of nodes) for (const i of n.inputs) if (i && !produced.has(i.name)) needed.add(i.name);
  for (const name of needed) {
    const t = constants.get(name);
    if (!t) throw new Error(`constant '${name}' is missing`);
    graph.addInitializer(shareTensor(t, name));
  }
  // Copies of the nodes over values of their own, so the model's values keep their producers and consumers.
  const local = (v: Value | undefined): Value | undefined => (v ? (graph.ownValue(v.name) ?? graph.define(new Value(v.name))) : undefined);
  graph.nodes = nodes.map(
    (n) => new Node(n.opType, n.inputs.map(local), n.outputs.map(local), { name: n.name, domain: n.domain, attributes: n.attributes }),
  );
  graph.outputs = [...produced].map((name) => graph.valueOrCreate(name));
  const sub = new Model('onnx', graph);
  sub.irVersion = Math.max(model.irVersion ?? 0, 7);
  sub.opsets = model.opsets.map((o) => ({ ...o }));
  sub.functions = model.functions;
  const session = await ort.InferenceSession.create(encodeOnnx(sub), { graphOptimizationLevel: 'disabled' });
  try {
    const results = await session.run({});
    const out = new Map<string, Tensor>();
    for (const [name, value] of Object.entries(results)) {
      const t = tensorFromOrt(name, value);
      if (t) out.set(name, t);
    }
    return out;
  } finally {
    await session.release();
  }
}
