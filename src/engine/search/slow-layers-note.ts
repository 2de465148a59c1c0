import type { LayerSpeed } from '../../contract/search';

const ms = (value: number): string => `${value.toFixed(3)} ms`;

/** The layer's name for people: its node's name, else its first output. */
const layerName = (layer: LayerSpeed): string => layer.name || layer.outputs[0] || '(unnamed)';

/** One sentence on which layers a per-layer profile kept in float, and why (their times). */
export function slowLayersNote(layers: readonly LayerSpeed[], int8Id = 'int8'): string {
  const slower = layers.filter((layer) => layer.slower);
  if (slower.length === 0)
    return `no layer of the ${int8Id} candidate was measured slower in int8 than in float (${layers.length} layers profiled).`;
  const shown = slower.slice(0, 5).map((layer) => {
    const why =
      layer.floatMs > 0
        ? `${ms(layer.int8Ms)} in int8 vs ${ms(layer.floatMs)} in float`
        : `${ms(layer.int8Ms)} in int8, fused into a neighbour in float`;
    return `${layerName(layer)} (${layer.opTypes.join('+')}: ${why})`;
  });
  const more = slower.length > shown.length ? ` and ${slower.length - shown.length} more` : '';
  return `Kept in float because they were measured slower in int8: ${shown.join('; ')}${more}.`;
}
