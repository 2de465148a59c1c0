/**
 * fix-dimensions: named or open input sizes become fixed numbers.
 *
 *   x: float32[N,3,H,W]      →      x: float32[1,3,224,224]      (dims { N: 1, H: 224, W: 224 })
 *
 * The same name means the same size everywhere, so declared types inside the graph follow.
 */
import { z } from 'zod';
import { LitheError } from '../errors';
import type { Model } from '../ir/model';
import type { Graph } from '../ir/graph';
import { inferShapes } from '../ir/shape-inference';
import type { Dim } from '../ir/shape';
import type { Value } from '../ir/value';
import type { ValueType } from '../ir/value-type';
import { definePass } from './pass';
import { modelGraphs } from './util/graph-walk';

function substitute(type: ValueType | undefined, dims: Map<string, number>): ValueType | undefined {
  if (!type) return type;
  if (type.kind === 'tensor' || type.kind === 'sparse-tensor') {
    if (!type.shape?.some((d) => typeof d === 'string' && dims.has(d))) return type;
    return { ...type, shape: type.shape.map((d) => (typeof d === 'string' ? (dims.get(d) ?? d) : d)) };
  }
  if (type.kind === 'sequence' || type.kind === 'optional') {
    const elem = substitute(type.elem, dims);
    return elem === type.elem ? type : { ...type, elem };
  }
  return type;
}

// Turns the requested full input shapes into dimension names to fix, and fixes unnamed dimensions directly.
function applyShapes(graph: Graph, shapes: Record<string, number[]>, dims: Map<string, number>): number {
  let changed = 0;
  for (const [name, shape] of Object.entries(shapes)) {
    const input = graph.inputs.find((v) => v.name === name);
    if (!input)
      throw new LitheError(
        'invalid-argument',
        `fix-dimensions: the model has no input named '${name}' (inputs: ${graph.inputs.map((v) => v.name).join(', ')})`,
      );
    const t = input.type;
    if (!t || t.kind !== 'tensor')
      throw new LitheError('invalid-argument', `fix-dimensions: input '${name}' is not a tensor of known type`);
    if (t.shape && t.shape.length !== shape.length)
      throw new LitheError(
        'invalid-argument',
        `fix-dimensions: input '${name}' has ${t.shape.length} dimensions, the given shape [${shape.join(',')}] has ${shape.length}`,
      );
    shape.forEach((size, i) => {
      const d = t.shape?.[i];
      if (typeof d === 'number' && d !== size)
        throw new LitheError('invalid-argument', `fix-dimensions: dimension ${i} of input '${name}' is fixed at ${d}, not ${size}`);
      if (typeof d === 'string') {
        const known = dims.get(d);
        if (known !== undefined && known !== size)
          throw new LitheError('invalid-argument', `fix-dimensions: '${d}' is given as both ${known} and ${size}`);
        dims.set(d, size);
      }
    });
    const next: Dim[] = [...shape];
    if (!t.shape || t.shape.some((d) => d === null)) {
      input.type = { ...t, shape: next };
      changed++;
    }
  }
  return changed;
}

/** Replaces named (symbolic) dimensions, such as a batch size, by fixed numbers. */
export const fixDimensions = definePass({
  name: 'fix-dimensions',
  title: 'Fix input sizes',
  description:
    'Sets sizes the model leaves open (for example the batch size or the image size) to fixed numbers. ' +
    'With every size known, runtimes can plan memory once and pick faster code, and more of the model can be precomputed.',
  options: z.object({
    dims: z.record(z.string(), z.number().int().positive()).default({}).describe('Named dimensions to fix, e.g. { "batch": 1 }.'),
    shapes: z
      .record(z.string(), z.array(z.number().int().positive()))
      .default({})
      .describe('Full shapes for inputs by name, e.g. { "images": [1, 3, 224, 224] }.'),
  }),
  formats: ['onnx'],
  run(model, options) {
    const named = new Set<string>();
    for (const v of model.graph.inputs) for (const d of tensorShape(v.type) ?? []) if (typeof d === 'string') named.add(d);
    const dims = new Map(Object.entries(options.dims));
    let inputsChanged = applyShapes(model.graph, options.shapes, dims);
    let valuesChanged = 0;
    const fix = (v: Value): boolean => {
      const next = substitute(v.type, dims);
      if (next === v.type) return false;
      v.type = next;
      return true;
    };
    for (const v of model.graph.inputs) if (fix(v)) inputsChanged++;
    // A dimension name stands for the same size everywhere, so declared types inside the graph are
    // updated the same way; sizes nobody declared are left for the runtime to infer.
    for (const g of modelGraphs(model)) {
      const values = g === model.graph ? [...g.outputs, ...g.annotated] : [...g.inputs, ...g.outputs, ...g.annotated];
      for (const v of values) if (fix(v)) valuesChanged++;
    }
    if (inputsChanged + valuesChanged > 0) reinferShapes(model);
    const unknown = Object.keys(options.dims).filter((d) => !named.has(d));
    const notes = unknown.length > 0 ? [`no input has a dimension named ${unknown.map((d) => `'${d}'`).join(', ')}`] : [];
    return { changed: inputsChanged + valuesChanged > 0, stats: { inputsChanged, valuesChanged }, notes };
  },
});

// Forgets the types of node outputs nobody declared (inferred, or set by earlier passes, from the old
// sizes) and infers them again from the new ones.
function reinferShapes(model: Model): void {
  for (const g of modelGraphs(model)) {
    const declared = new Set<Value>([...g.inputs, ...g.outputs, ...g.annotated]);
    for (const n of g.nodes) for (const o of n.outputs) if (o && !declared.has(o) && !o.initializer) o.type = undefined;
  }
  inferShapes(model);
}

function tensorShape(type: ValueType | undefined): Dim[] | undefined {
  return type?.kind === 'tensor' ? type.shape : undefined;
}
