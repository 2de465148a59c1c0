import ort from 'onnxruntime-node';
import { encodeOnnx } from '../formats/onnx';
import type { Model } from '../ir/model';
import { seededRandom } from '../util/seeded-random';
import type { LossTerm } from './losses/loss';
import type { TrainingMode } from './rule';
import { ruleFor } from './rules';
import { buildTrainingGraph, type TrainingGraph } from './training-graph';

/** How one tensor's gradient compared with finite differences. */
export interface TensorCheck {
  /** Parameter or input name. */
  name: string;
  kind: 'parameter' | 'input';
  /** Elements compared. */
  checked: number;
  /** max |analytic − numeric| / max |numeric| over the checked elements. */
  relativeError: number;
}

/** Result of {@link checkGradients}. */
export interface GradientCheck {
  float: 'float32' | 'float64';
  tensors: TensorCheck[];
  /** The worst relative error over all tensors. */
  worst: number;
}

/** Options of {@link checkGradients}. */
export interface GradientCheckOptions {
  /** Graph inputs to differentiate as well as the parameters. */
  wrtInputs?: readonly string[];
  /** Loss terms (default: Σ output·R with a random R, which checks the full vector-Jacobian product). */
  loss?: readonly LossTerm[];
  mode?: Partial<TrainingMode>;
  /** Elements per tensor to perturb (default 12). */
  samples?: number;
  /** Step of the central differences (default 1e-6 in float64, 1e-2 in float32). */
  step?: number;
  /** Size of symbolic dimensions (default 2). */
  dimSize?: number;
  seed?: number;
  /** Which initializers are trained (default: every float initializer). */
  trainable?: (name: string) => boolean;
}

type Feeds = Record<string, ort.Tensor>;

/**
 * Checks the training graph of `model` against central finite differences, in onnxruntime: the
 * analytic gradients come from one run of the training graph, the numeric ones from runs of the
 * same graph's loss with one element moved by ±step. Inputs are seeded random data.
 */
export async function checkGradients(model: Model, options: GradientCheckOptions = {}): Promise<GradientCheck> {
  const random = seededRandom(options.seed ?? 7);
  const graph = buildTrainingGraph(model, {
    loss: options.loss ?? [{ kind: 'dot' }],
    trainable: options.trainable ?? differentiableInitializers(model),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.wrtInputs ? { wrtInputs: options.wrtInputs } : {}),
  });
  const session = await ort.InferenceSession.create(encodeOnnx(graph.model), { logSeverityLevel: 3, graphOptimizationLevel: 'disabled' });
  try {
    const feeds = await makeFeeds(model, graph, random, options.dimSize ?? 2);
    const analytic = await session.run(feeds);
    const step = options.step ?? (graph.float === 'float64' ? 1e-6 : 1e-2);
    const tensors: TensorCheck[] = [];
    const targets = [
      ...graph.params.map((p) => ({ name: p.name, grad: p.grad, kind: 'parameter' as const })),
      ...[...graph.inputGrads].map(([name, grad]) => ({ name, grad, kind: 'input' as const })),
    ];
    for (const target of targets) {
      const data = feeds[target.name]!.data as Float32Array | Float64Array;
      const grad = analytic[target.grad]!.data as Float32Array | Float64Array;
      const count = Math.min(options.samples ?? 12, data.length);
      const picks = new Set<number>();
      while (picks.size < count) picks.add(Math.floor(random() * data.length));
      let diff = 0;
      let scale = 0;
      for (const i of picks) {
        const saved = data[i]!;
        data[i] = saved + step;
        const plus = await lossOf(session, feeds, graph.loss);
        data[i] = saved - step;
        const minus = await lossOf(session, feeds, graph.loss);
        data[i] = saved;
        const numeric = (plus - minus) / (2 * step);
        diff = Math.max(diff, Math.abs(numeric - grad[i]!));
        scale = Math.max(scale, Math.abs(numeric), Math.abs(grad[i]!));
      }
      tensors.push({ name: target.name, kind: target.kind, checked: count, relativeError: scale > 0 ? diff / scale : diff });
    }
    return { float: graph.float, tensors, worst: Math.max(0, ...tensors.map((t) => t.relativeError)) };
  } finally {
    await session.release();
  }
}

// Float initializers read where a gradient flows (not as shapes, bounds or indices).
function differentiableInitializers(model: Model): (name: string) => boolean {
  const names = new Set<string>();
  for (const node of model.graph.nodes) {
    const constant = ruleFor(node.opType, node.domain)?.constantInputs ?? [];
    node.inputs.forEach((v, i) => {
      if (v?.initializer && !constant.includes(i)) names.add(v.name);
    });
  }
  return (name) => names.has(name);
}

async function lossOf(session: ort.InferenceSession, feeds: Feeds, name: string): Promise<number> {
  const out = await session.run(feeds, [name]);
  return Number(out[name]!.data[0]);
}

// Random data for the model's inputs, the initial parameters and state, and targets shaped like the outputs.
async function makeFeeds(model: Model, graph: TrainingGraph, random: () => number, dimSize: number): Promise<Feeds> {
  const feeds: Feeds = {};
  const floats = (n: number, f = () => random() * 2 - 1): Float32Array | Float64Array =>
    graph.float === 'float64' ? Float64Array.from({ length: n }, f) : Float32Array.from({ length: n }, f);
  for (const name of graph.data) {
    const v = graph.model.graph.inputs.find((i) => i.name === name)!;
    const t = v.type?.kind === 'tensor' ? v.type : undefined;
    const dims = (t?.shape ?? []).map((d) => (typeof d === 'number' ? d : dimSize));
    const n = dims.reduce((a, b) => a * b, 1);
    feeds[name] =
      t?.dtype === 'int64'
        ? new ort.Tensor(
            'int64',
            BigInt64Array.from({ length: n }, () => BigInt(Math.floor(random() * 3))),
            dims,
          )
        : new ort.Tensor(graph.float, floats(n) as Float32Array, dims);
  }
  for (const t of model.graph.initializers) {
    const wanted = graph.params.some((p) => p.name === t.name) || graph.state.some((s) => s.name === t.name);
    if (!wanted) continue;
    const data =
      graph.float === 'float64' ? Float64Array.from(t.toTypedArray() as Float64Array) : Float32Array.from(t.toTypedArray() as Float32Array);
    feeds[t.name] = new ort.Tensor(graph.float, data as Float32Array, [...t.dims]);
  }
  // Shapes of the outputs the loss reads, from one forward run of the original model.
  const forward = await ort.InferenceSession.create(encodeOnnx(model), { logSeverityLevel: 3 });
  const modelFeeds: Feeds = {};
  for (const name of forward.inputNames) if (feeds[name]) modelFeeds[name] = feeds[name]!;
  const results = await forward.run(modelFeeds);
  await forward.release();
  for (const feed of graph.feeds) {
    const out = results[feed.output];
    const dims = out ? [...out.dims] : [];
    const n = dims.reduce((a, b) => a * b, 1);
    if (feed.role === 'labels') {
      const classes = dims[1] ?? 1;
      const labelDims = [dims[0] ?? 1, ...dims.slice(2)];
      feeds[feed.name] = new ort.Tensor(
        'int64',
        BigInt64Array.from({ length: labelDims.reduce((a, b) => a * b, 1) }, () => BigInt(Math.floor(random() * classes))),
        labelDims,
      );
    } else feeds[feed.name] = new ort.Tensor(graph.float, floats(n) as Float32Array, dims);
  }
  return feeds;
}
