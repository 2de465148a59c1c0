export {
  evaluateModel,
  loadForEval,
  dataFor,
  dataRunner,
  type EvaluateRequest,
  type EvaluateReport,
  type LoadedForEval,
} from './evaluate-model';
export { compareOnData, type DataComparison, type DataRunner } from './compare-on-data';
export { layerErrors, type LayerError } from './layer-errors';
export { AccuracyCounter, FidelityCounter, sqnrDb, type Fidelity } from './metrics';
export { runBatch } from './run-batch';
export { exposeValues, sharedLayerOutputs } from './expose-values';
export { evaluateOptimized } from './evaluate-optimized';
