import ort from 'onnxruntime-node';
import { LitheError } from '../errors';
import { encodeOnnx } from '../formats/onnx';
import type { Model } from '../ir/model';
import type { OptimizedParam } from './optimizer';
import type { TrainingGraph } from './training-graph';

/** onnxruntime settings of training sessions. */
export interface SessionSettings {
  /** Intra-op threads (0: onnxruntime's default, all cores). */
  threads: number;
  optLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Write an onnxruntime profile with this file prefix. */
  profilePrefix?: string;
}

/** Creates a session for a graph Lithe built, turning onnxruntime's refusal into a clear error. */
export async function openSession(model: Model, settings: SessionSettings, role: string): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(encodeOnnx(model), {
      graphOptimizationLevel: settings.optLevel ?? 'all',
      ...(settings.threads > 0 ? { intraOpNumThreads: settings.threads } : {}),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      logSeverityLevel: 3,
      ...(settings.profilePrefix ? { enableProfiling: true, profileFilePrefix: settings.profilePrefix } : {}),
    });
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new LitheError('runtime-failed', `onnxruntime cannot load the ${role}: ${why}`, { cause: error });
  }
}

/** What one training step returns. */
export interface StepResult {
  loss: number;
  terms: number[];
  /** The model's outputs for the batch (class scores for accuracy). */
  outputs: Record<string, ort.Tensor>;
}

/**
 * One onnxruntime session running forward and backward together. Parameters and state live in
 * Float32Arrays fed as inputs without copying; gradients are written by onnxruntime straight into
 * preallocated arrays, which the optimizer then reads.
 */
export class TrainStep {
  readonly params: OptimizedParam[];
  readonly state: Map<string, Float32Array>;
  readonly #session: ort.InferenceSession;
  readonly #graph: TrainingGraph;
  readonly #fixed: Record<string, ort.Tensor>;
  readonly #fetches: Record<string, ort.Tensor | null>;

  private constructor(session: ort.InferenceSession, graph: TrainingGraph, weights: ReadonlyMap<string, Float32Array>) {
    this.#session = session;
    this.#graph = graph;
    const value = (name: string, length: number): Float32Array => {
      const w = weights.get(name);
      if (!w || w.length !== length) throw new LitheError('internal', `no initial value of the right size for "${name}"`);
      return w;
    };
    this.params = graph.params.map((p) => {
      const length = p.dims.reduce((a, b) => a * b, 1);
      return { name: p.name, dims: p.dims, value: value(p.name, length), grad: new Float32Array(length) };
    });
    this.state = new Map(
      graph.state.map((s) => [
        s.name,
        value(
          s.name,
          s.dims.reduce((a, b) => a * b, 1),
        ),
      ]),
    );
    this.#fixed = {};
    this.#fetches = {};
    for (const p of this.params) {
      this.#fixed[p.name] = new ort.Tensor('float32', p.value, [...p.dims]);
      this.#fetches[graph.params.find((g) => g.name === p.name)!.grad] = new ort.Tensor('float32', p.grad, [...p.dims]);
    }
    for (const s of graph.state) this.#fixed[s.name] = new ort.Tensor('float32', this.state.get(s.name)!, s.dims);
    for (const name of [graph.loss, ...graph.termLosses, ...graph.outputs, ...graph.state.map((s) => s.output)])
      this.#fetches[name] ??= null;
  }

  /** Opens the session of `graph`, starting from `weights` (parameters and state by name; used in place). */
  static async open(graph: TrainingGraph, weights: ReadonlyMap<string, Float32Array>, settings: SessionSettings): Promise<TrainStep> {
    if (graph.float !== 'float32') throw new LitheError('unsupported', 'Training runs in float32; this model computes in float64.');
    return new TrainStep(await openSession(graph.model, settings, 'training graph'), graph, weights);
  }

  /** Runs forward and backward on one batch (`feeds`: data, labels, targets); state is updated in place. */
  async run(feeds: Record<string, ort.Tensor>): Promise<StepResult> {
    let out: ort.InferenceSession.ReturnType;
    try {
      out = await this.#session.run({ ...feeds, ...this.#fixed }, this.#fetches);
    } catch (error) {
      const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new LitheError('runtime-failed', `onnxruntime failed in a training step: ${why}`, { cause: error });
    }
    for (const s of this.#graph.state) this.state.get(s.name)!.set(out[s.output]!.data as Float32Array);
    const outputs: Record<string, ort.Tensor> = {};
    for (const name of this.#graph.outputs) outputs[name] = out[name]!;
    return {
      loss: Number(out[this.#graph.loss]!.data[0]),
      terms: this.#graph.termLosses.map((name) => Number(out[name]!.data[0])),
      outputs,
    };
  }

  /** Releases the session. */
  release(): Promise<void> {
    return this.#session.release();
  }
}

/** The model in inference form with its parameters and state fed from the training arrays (validation). */
export class EvalStep {
  readonly #session: ort.InferenceSession;
  readonly #fixed: Record<string, ort.Tensor>;

  private constructor(session: ort.InferenceSession, fixed: Record<string, ort.Tensor>) {
    this.#session = session;
    this.#fixed = fixed;
  }

  /** Opens the inference graph `model`, whose inputs named in `tensors` read those arrays. */
  static async open(
    model: Model,
    tensors: ReadonlyMap<string, { value: Float32Array; dims: readonly number[] }>,
    settings: SessionSettings,
  ): Promise<EvalStep> {
    const fixed: Record<string, ort.Tensor> = {};
    for (const [name, t] of tensors) fixed[name] = new ort.Tensor('float32', t.value, [...t.dims]);
    return new EvalStep(await openSession(model, settings, 'validation graph'), fixed);
  }

  get outputNames(): readonly string[] {
    return this.#session.outputNames;
  }

  async run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
    return this.#session.run({ ...feeds, ...this.#fixed });
  }

  release(): Promise<void> {
    return this.#session.release();
  }
}
