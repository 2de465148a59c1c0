/** Plain words for one step statistic: singular and plural, placed after the count. */
const LABELS: Record<string, readonly [string, string]> = {
  nodesRemoved: ['node removed', 'nodes removed'],
  nodesFolded: ['node precomputed', 'nodes precomputed'],
  nodesAdapted: ['node adapted to the new operator set', 'nodes adapted to the new operator set'],
  constantNodesToInitializers: ['constant stored as a weight', 'constants stored as weights'],
  initializersRemoved: ['unused weight removed', 'unused weights removed'],
  valueInfoRemoved: ['stale shape note removed', 'stale shape notes removed'],
  batchNormsFolded: ['batch norm folded', 'batch norms folded'],
  addsFolded: ['addition folded', 'additions folded'],
  mulsFolded: ['multiplication folded', 'multiplications folded'],
  matMulAddFused: ['matrix multiply merged with its bias', 'matrix multiplies merged with their bias'],
  activationsFused: ['activation merged into its layer', 'activations merged into their layers'],
  onnxPairsLeftToRuntime: ['layer–activation pair left for the runtime to merge', 'layer–activation pairs left for the runtime to merge'],
  inputsChanged: ['input size fixed', 'input sizes fixed'],
  valuesChanged: ['inner size fixed', 'inner sizes fixed'],
  tensorsFixed: ['tensor repaired', 'tensors repaired'],
  tensorsConverted: ['tensor converted to 16 bits', 'tensors converted to 16 bits'],
  layersQuantized: ['layer in 8 bits', 'layers in 8 bits'],
  activationsQuantized: ['activation in 8 bits', 'activations in 8 bits'],
  layersInFloat: ['layer kept in float', 'layers kept in float'],
  layersMeasured: ['layer measured', 'layers measured'],
};

/** Plain words for a percentage statistic, placed after "N %". */
const PERCENT_LABELS: Record<string, string> = {
  sparsityPercent: "of the model's weights are zero",
  prunedLayersSparsityPercent: 'zeros in the pruned layers',
};

/** "someThingDone" → "some thing done". */
function splitCamel(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

/**
 * One statistic as a phrase: "1 batch norm folded", "35 batch norms folded", "5.8 % of the model's weights are
 * zero"; unknown keys split from camelCase.
 */
export function statPhrase(key: string, value: number): string {
  const label = LABELS[key];
  const count = value.toLocaleString('en-US');
  const percent = PERCENT_LABELS[key];
  if (percent) return `${count} % ${percent}`;
  if (!label) return `${count} ${splitCamel(key)}`;
  return `${count} ${value === 1 ? label[0] : label[1]}`;
}

/** A step's statistics as one sentence; zero counts and the opset pair are left out (the opset is said in words). */
export function describeStats(stats: Record<string, number>): string {
  const parts: string[] = [];
  if (stats.fromOpset !== undefined && stats.toOpset !== undefined) parts.push(`operator set ${stats.fromOpset} → ${stats.toOpset}`);
  for (const [key, value] of Object.entries(stats)) {
    if (value === 0 || key === 'fromOpset' || key === 'toOpset') continue;
    parts.push(statPhrase(key, value));
  }
  const text = parts.join(', ');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) + '.' : '';
}
