/**
 * float16 TFLite: float32 weights are stored as float16 and expanded by DEQUANTIZE when the model
 * loads (the form TFLite's own float16 quantization writes; computation stays float32).
 *
 *   W f32 ─ CONV_2D      →      W f16 ─ DEQUANTIZE ─ CONV_2D
 */
import type { Model } from '../../ir/model';
import { Node } from '../../ir/node';
import { Value } from '../../ir/value';
import type { PassResult } from '../../passes/pass';
import { removeDeadCode } from '../../passes/util/dead-code';
import { modelGraphs } from '../../passes/util/graph-walk';
import { toHalfBits } from '../../util/half-float';
import { addTfliteConstant, isTfliteOp } from './tflite-constants';

/** Stores every float32 constant of at least `minElements` values read by TFLite operators as float16; returns how many. */
export function float16Tflite(model: Model, minElements: number): { converted: number; alreadyHalf: number } {
  let converted = 0;
  let alreadyHalf = 0;
  for (const graph of modelGraphs(model)) {
    for (const node of graph.nodes) if (isTfliteOp(node, 'DEQUANTIZE') && node.inputs[0]?.initializer?.dtype === 'float16') alreadyHalf++;
    for (const t of [...graph.initializers]) {
      const value = graph.ownValue(t.name);
      if (!value || t.dtype !== 'float32' || t.elementCount < minElements || graph.inputs.includes(value)) continue;
      const readers = value.consumers.filter((n) => isTfliteOp(n) && n.graph === graph);
      if (readers.length === 0) continue;
      const half = Uint16Array.from(t.toTypedArray() as Float32Array, toHalfBits);
      const stored = addTfliteConstant(graph, `${value.name}_fp16`, 'float16', [...t.dims], half);
      const expanded = graph.define(
        new Value(graph.freshName(`${value.name}_dequantized`), { kind: 'tensor', dtype: 'float32', shape: [...t.dims] }),
      );
      graph.addNode(new Node('DEQUANTIZE', [stored], [expanded], { name: `${value.name}_dequantize`, domain: 'tflite' }), { at: 0 });
      for (const n of readers) n.replaceInput(value, expanded);
      converted++;
    }
    removeDeadCode(graph);
  }
  return { converted, alreadyHalf };
}

/** The fp16 step on a TFLite model: weights stored float16 (see the header), with words for what it did and did not do. */
export function float16TflitePass(model: Model, minElements: number): PassResult {
  const { converted, alreadyHalf } = float16Tflite(model, minElements);
  const notes: string[] = [];
  if (converted > 0)
    notes.push(`${converted} weight(s) are stored in float16 and expanded to float32 when the model loads; computation stays float32.`);
  if (alreadyHalf > 0) notes.push(`${alreadyHalf} weight(s) were already stored in float16.`);
  if (converted === 0) notes.push(`No float32 weight of at least ${minElements} values was found: nothing was converted.`);
  return { changed: converted > 0, stats: { tensorsConverted: converted }, notes };
}
