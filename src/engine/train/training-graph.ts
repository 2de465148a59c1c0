import { decodeOnnx, encodeOnnx } from '../formats/onnx';
import { LitheError } from '../errors';
import type { Graph } from '../ir/graph';
import { isFloatDType } from '../ir/dtype';
import type { Model } from '../ir/model';
import type { Node } from '../ir/node';
import { inferShapes } from '../ir/shape-inference';
import type { Value } from '../ir/value';
import { upgradeOpset } from '../passes/upgrade-opset';
import { emitBackward } from './backward';
import { Emitter } from './emitter';
import { crossEntropyLoss } from './losses/cross-entropy';
import { DISTILL_TEMPERATURE, distillKlLoss } from './losses/distill-kl';
import { PSEUDO_LABEL_THRESHOLD, pseudoLabelLoss } from './losses/pseudo-label';
import type { EmittedLoss, LossTerm } from './losses/loss';
import { dotLoss, mseLoss } from './losses/mse';
import { ruleFor } from './rules';
import type { StateUpdate, TrainingMode } from './rule';
import { defaultTrainable } from './trainable';

/** The lowest operator set training graphs use (ScatterElements with reduction, Dropout training mode). */
export const TRAINING_OPSET = 17;

/** What to build a training graph for. */
export interface TrainingGraphSpec {
  /** Which float initializers are trained (default: weights, biases and normalization parameters). */
  trainable?: (initializerName: string) => boolean;
  /** The loss: a weighted sum of terms. */
  loss: readonly LossTerm[];
  mode?: Partial<TrainingMode>;
  /** Graph inputs to also differentiate (gradient checks). */
  wrtInputs?: readonly string[];
}

/** A parameter the training step changes: fed as `input`, its gradient returned as `grad`. */
export interface TrainedParam {
  name: string;
  dims: number[];
  grad: string;
}

/** A training graph ready for onnxruntime and the names a training step exchanges with it. */
export interface TrainingGraph {
  model: Model;
  float: 'float32' | 'float64';
  params: TrainedParam[];
  /** Values carried from step to step (running statistics): fed as `name`, new value in `output`. */
  state: { name: string; dims: number[]; output: string }[];
  /** The model's own inputs (data). */
  data: string[];
  /** Per-batch inputs the loss terms add: labels or targets, with the output they concern. */
  feeds: { term: number; role: 'labels' | 'target'; name: string; output: string }[];
  /** The total loss (scalar) and each term's loss. */
  loss: string;
  termLosses: string[];
  /** The model's outputs, still returned (for accuracy). */
  outputs: string[];
  /** Gradients of `wrtInputs`, by input name. */
  inputGrads: Map<string, string>;
}

/**
 * The model in inference form with the initializers `names` turned into inputs, so validation
 * runs read the training arrays without copying them.
 */
export function buildInferenceGraph(source: Model, names: Iterable<string>): Model {
  const model = cloneModel(source);
  for (const name of names) toInput(model.graph, name);
  return model;
}

/** A deep copy of an ONNX model through its bytes. */
export function cloneModel(model: Model): Model {
  return decodeOnnx(encodeOnnx(model));
}

/**
 * Builds the training graph of `source` (not changed): the forward graph at opset ≥ 17, trainable
 * initializers turned into inputs, forward nodes prepared for training (batch statistics, dropout
 * masks, pooling indices), the loss, and the backward pass from the gradient rules. Everything
 * is standard ONNX, so one onnxruntime session runs forward and backward in one call.
 */
export function buildTrainingGraph(source: Model, spec: TrainingGraphSpec): TrainingGraph {
  if (source.format !== 'onnx') throw new LitheError('unsupported', 'Training graphs are built from ONNX models; convert the model first.');
  const model = cloneModel(source);
  if ((model.opsetVersion('') ?? 0) < TRAINING_OPSET) upgradeOpset.run(model, { target: TRAINING_OPSET }, {});
  const graph = model.graph;
  inferAllShapes(model);
  const opset = model.opsetVersion('') ?? TRAINING_OPSET;
  const chosen =
    spec.trainable ??
    (
      (set) => (name: string) =>
        set.has(name)
    )(defaultTrainable(graph));
  const paramTensors = graph.initializers.filter((t) => isFloatDType(t.dtype) && chosen(t.name));
  const float = floatTypeOf(
    graph,
    paramTensors.map((t) => t.dtype),
  );
  const e = new Emitter(graph, opset, float);
  const params = paramTensors.map((t) => toInput(graph, t.name));
  const mode: TrainingMode = { batchNorm: spec.mode?.batchNorm ?? 'train', dropout: spec.mode?.dropout ?? true };
  const state = prepare(graph, e, mode, new Set(params));
  graph.nodes = sortNodes(graph);
  inferAllShapes(model);
  const outputs = [...graph.outputs];
  const seeds = new Map<Value, Value[]>();
  const feeds: TrainingGraph['feeds'] = [];
  const termLosses: Value[] = [];
  spec.loss.forEach((term, index) => {
    const output = pickOutput(graph, term.output);
    const emitted = emitTerm(e, term, output, graph.producerOf(output));
    const weight = term.weight ?? 1;
    const grad = weight === 1 ? emitted.grad : e.mul(emitted.grad, e.floats(weight));
    const list = seeds.get(emitted.of);
    if (list) list.push(grad);
    else seeds.set(emitted.of, [grad]);
    for (const input of emitted.inputs) feeds.push({ term: index, role: input.role, name: input.value.name, output: output.name });
    termLosses.push(weight === 1 ? emitted.loss : e.mul(emitted.loss, e.floats(weight)));
  });
  if (termLosses.length === 0) throw new LitheError('invalid-argument', 'A training loss needs at least one term.');
  const total = termLosses.length === 1 ? termLosses[0]! : e.op('Sum', termLosses);
  const wrtInputs = (spec.wrtInputs ?? []).map((name) => {
    const v = graph.inputs.find((i) => i.name === name);
    if (!v) throw new LitheError('invalid-argument', `The model has no input "${name}".`);
    return v;
  });
  const order = sortNodes(graph);
  const grads = emitBackward(e, order, seeds, [...params, ...wrtInputs]);
  const named = (value: Value, name: string): string => exposeAs(e, value, name);
  graph.outputs = [...outputs];
  const lossName = named(total, 'loss');
  const termNames = termLosses.map((v, i) => (termLosses.length === 1 ? lossName : named(v, `loss/${i}`)));
  const trained = params.map((p) => ({ name: p.name, dims: dimsOf(p), grad: named(grads.get(p)!, `grad/${p.name}`) }));
  const inputGrads = new Map(wrtInputs.map((v) => [v.name, named(grads.get(v)!, `grad/${v.name}`)]));
  const carried = state.map((s) => ({ name: s.state.name, dims: dimsOf(s.state), output: named(s.next, `state/${s.state.name}`) }));
  graph.nodes = sortNodes(graph);
  const trainedNames = new Set([...params, ...state.map((s) => s.state)].map((v) => v.name));
  const data = graph.inputs
    .filter((v) => !trainedNames.has(v.name) && !feeds.some((f) => f.name === v.name) && !v.initializer)
    .map((v) => v.name);
  return {
    model,
    float,
    params: trained,
    state: carried,
    data,
    feeds,
    loss: lossName,
    termLosses: termNames,
    outputs: outputs.map((o) => o.name),
    inputGrads,
  };
}

// Shape inference that also types outputs without a declared type (it leaves declared values alone).
function inferAllShapes(model: Model): void {
  const graph = model.graph;
  const declared = graph.outputs;
  graph.outputs = declared.filter((v) => v.type);
  inferShapes(model);
  graph.outputs = declared;
}

// The float type the graph computes in: that of its parameters, else of its inputs and outputs.
function floatTypeOf(graph: Graph, paramTypes: readonly string[]): 'float32' | 'float64' {
  const types = [...paramTypes, ...[...graph.inputs, ...graph.outputs].map((v) => (v.type?.kind === 'tensor' ? v.type.dtype : ''))];
  const first = types.find((t) => t === 'float32' || t === 'float64');
  return first === 'float64' ? 'float64' : 'float32';
}

function dimsOf(v: Value): number[] {
  const t = v.type;
  const shape = t?.kind === 'tensor' ? t.shape : undefined;
  if (!shape?.every((d): d is number => typeof d === 'number'))
    throw new LitheError('internal', `parameter "${v.name}" has no static shape`);
  return shape;
}

/** Turns an initializer into a graph input of the same name and type (its data is fed every step). */
export function toInput(graph: Graph, name: string): Value {
  const v = graph.ownValue(name);
  const t = v?.initializer;
  if (!v || !t) throw new LitheError('internal', `no initializer "${name}"`);
  graph.initializers = graph.initializers.filter((x) => x !== t);
  v.initializer = undefined;
  v.type = { kind: 'tensor', dtype: t.dtype, shape: [...t.dims] };
  if (!graph.inputs.includes(v)) graph.inputs.push(v);
  return v;
}

function prepare(graph: Graph, e: Emitter, mode: TrainingMode, params: Set<Value>): StateUpdate[] {
  const state: StateUpdate[] = [];
  for (const node of [...graph.nodes]) {
    const rule = ruleFor(node.opType, node.domain);
    if (!rule?.prepare) continue;
    // Batch statistics only where the normalization itself is trained; frozen parts stay frozen.
    const local =
      node.opType === 'BatchNormalization' && !node.inputs.slice(1, 3).some((v) => v && params.has(v))
        ? { ...mode, batchNorm: 'frozen' as const }
        : mode;
    rule.prepare({
      node,
      e,
      mode: local,
      replace(nodes: Node[]) {
        graph.replaceNode(node, nodes);
      },
      addState(update) {
        state.push(update);
        const t = update.state.initializer;
        if (t) toInput(graph, t.name);
      },
    });
  }
  return state;
}

function pickOutput(graph: Graph, name: string | undefined): Value {
  if (name === undefined) {
    const first = graph.outputs[0];
    if (!first) throw new LitheError('invalid-argument', 'The model has no outputs to train.');
    return first;
  }
  const v = graph.value(name);
  if (!v) throw new LitheError('invalid-argument', `The model has no output or value called "${name}".`);
  return v;
}

function emitTerm(e: Emitter, term: LossTerm, output: Value, producer: Node | undefined): EmittedLoss {
  const info = producer ? { opType: producer.opType, inputs: [...producer.inputs], axis: producer.int('axis', -1) } : undefined;
  switch (term.kind) {
    case 'cross-entropy':
      return crossEntropyLoss(e, output, info, term.smoothing ?? 0);
    case 'distill-kl':
      return distillKlLoss(e, output, info, term.temperature ?? DISTILL_TEMPERATURE);
    case 'pseudo-label':
      return pseudoLabelLoss(e, output, info, term.threshold ?? PSEUDO_LABEL_THRESHOLD);
    case 'mse':
      return mseLoss(e, output);
    case 'dot':
      return dotLoss(e, output);
  }
}

// Names `value` as a graph output: renamed when it is an internal value of the backward part, else via Identity.
function exposeAs(e: Emitter, value: Value, name: string): string {
  const g = e.graph;
  const taken = g.outputs.includes(value) || g.inputs.includes(value) || !value.name.startsWith('train/') || value.initializer;
  const out = taken ? e.op('Identity', [value]) : value;
  if (g.value(name) && g.value(name) !== out) throw new LitheError('internal', `the training graph already has a value "${name}"`);
  g.rename(out, name);
  g.outputs.push(out);
  return name;
}

function sortNodes(graph: Graph): Node[] {
  const sorted = graph.topologicalOrder();
  if (!sorted.order) throw new LitheError('internal', 'the training graph has a cycle');
  return sorted.order;
}
