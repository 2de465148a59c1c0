import { passByName } from '../passes';
import { builtinRecipe } from '../recipes/builtin-recipes';
import type { Recipe } from '../recipes/recipe';

// Where candidates come from. Each source turns the model's facts into one recipe (or none when it
// does not apply); the search builds, verifies and measures whatever the sources give. A new kind
// of candidate (pruned, clustered, distilled …) is one more entry in CANDIDATE_SOURCES.

/** What a source knows when it proposes a candidate. */
export interface SourceFacts {
  format: 'onnx' | 'tflite';
  /** The user gave example data (calibration on real inputs, an accuracy check). */
  hasData: boolean;
  /**
   * For a source with `layerSpeedOf`: output names of the layers measured slower in int8 than in
   * float (see int8-layer-speed.ts); undefined until they are measured.
   */
  slowerInInt8?: readonly string[];
}

/** One kind of candidate. */
export interface CandidateSource {
  /** Unique in the search; also the candidate's folder name. */
  id: string;
  title: string;
  /** The recipe for this model, or undefined with nothing to try. */
  recipe(facts: SourceFacts): Recipe | undefined;
  /** The format to write (the other one: the candidate runs in the other runtime). Default: the model's. */
  format?: 'onnx' | 'tflite';
  /** Starts from another candidate's model (by id) instead of the original, e.g. int8 after a conversion. */
  base?: string;
  /**
   * The recipe needs `facts.slowerInInt8`: the search first profiles these two built candidates
   * (a float one and its int8 version, by id) layer by layer.
   */
  layerSpeedOf?: { float: string; int8: string };
}

function builtin(name: string): Recipe {
  const recipe = builtinRecipe(name);
  if (!recipe) throw new Error(`built-in recipe "${name}" is missing`);
  return recipe;
}

/** A built-in recipe with some options of one pass changed. */
function withOptions(name: string, pass: string, options: Record<string, unknown>, suffix: string): Recipe {
  const base = builtin(name);
  return {
    ...base,
    name: `${base.name}-${suffix}`,
    steps: base.steps.map((step) => (step.pass === pass ? { pass, options: { ...step.options, ...options } } : step)),
  };
}

/** The recipe's own step (its last) works on `format`; the steps before it are the graph clean-up. */
function lastStepAccepts(recipe: Recipe, format: SourceFacts['format']): boolean {
  const last = recipe.steps.at(-1);
  const pass = last ? passByName(last.pass) : undefined;
  return pass !== undefined && pass.formats.includes(format);
}

/**
 * A built-in recipe as a source, when its own step works on the model's format. `onlyWithData`:
 * the recipe means nothing on generated inputs (static int8 can calibrate on them, with a warning;
 * mixed precision measures agreement on the data, so it needs the user's).
 */
const fromBuiltin = (id: string, title: string, onlyWithData = false): CandidateSource => ({
  id,
  title,
  recipe(facts) {
    const recipe = builtin(id);
    return lastStepAccepts(recipe, facts.format) && (facts.hasData || !onlyWithData) ? recipe : undefined;
  },
});

/** Static int8 with the layers measured slower in int8 kept in float (nothing to try when none is). */
const int8ExceptSlow = (id: string, layerSpeedOf: { float: string; int8: string }, title: string, base?: string): CandidateSource => ({
  id,
  title,
  layerSpeedOf,
  ...(base ? { base } : {}),
  recipe: (facts) =>
    (base ? facts.format === 'tflite' : facts.format === 'onnx') && facts.slowerInInt8?.length
      ? withOptions('int8-static', 'quantize-int8-static', { exclude: [...facts.slowerInInt8] }, 'except-slow')
      : undefined,
});

/** The candidates every search considers, in the order they are built. */
export const CANDIDATE_SOURCES: readonly CandidateSource[] = [
  fromBuiltin('graph', 'graph clean-up (exact)'),
  fromBuiltin('fp16', 'float16 weights'),
  fromBuiltin('int8-dynamic', 'int8 weights, activations at run time'),
  fromBuiltin('int8-static', 'int8 static, per-channel weights'),
  {
    id: 'int8-static-per-tensor',
    title: 'int8 static, one weight scale per layer',
    // TFLite static int8 has no per-tensor switch: the option only shapes ONNX QDQ.
    recipe: (facts) =>
      facts.format === 'onnx' ? withOptions('int8-static', 'quantize-int8-static', { perChannel: false }, 'per-tensor') : undefined,
  },
  int8ExceptSlow('int8-static-except-slow', { float: 'graph', int8: 'int8-static' }, 'int8 static, layers slower in int8 kept in float'),
  fromBuiltin('int4-weights', '4-bit matrix weights'),
  fromBuiltin('mixed', 'int8 with sensitive layers in float', true),
  // A TFLite model run by onnxruntime: the conversion is verified like any step, and onnxruntime's
  // int8 kernels become a candidate too.
  {
    id: 'onnx',
    title: 'converted to ONNX, run by onnxruntime',
    format: 'onnx',
    recipe: (facts) => (facts.format === 'tflite' ? builtin('graph') : undefined),
  },
  {
    id: 'onnx-int8-static',
    title: 'converted to ONNX, int8 static',
    base: 'onnx',
    recipe: (facts) => (facts.format === 'tflite' ? builtin('int8-static') : undefined),
  },
  int8ExceptSlow(
    'onnx-int8-static-except-slow',
    { float: 'onnx', int8: 'onnx-int8-static' },
    'converted to ONNX, int8 static, layers slower in int8 kept in float',
    'onnx',
  ),
];
