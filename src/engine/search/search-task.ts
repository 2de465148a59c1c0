import type { SearchReport } from '../../contract/search';
import type { EngineContext } from '../context';
import { JobRunner } from '../jobs/job-runner';
import { engineTask } from '../jobs/task-ref';
import { runSearch, type SearchDeps, type SearchRequest } from './run-search';

/**
 * Runs the parts of a search that hold a model in ONNX Runtime, one at a time: each candidate's
 * optimize, the check of a derived candidate against the original, the per-layer int8 profile and
 * the device estimates. Each runs in a child process of its own whose resident memory is watched, as
 * every optimize job of a host (ONNX Runtime's native memory is out of this worker's heap limit).
 */
const candidateRunner = new JobRunner({
  concurrency: 1,
  childTasks: new Set(['optimize', 'searchVerify', 'searchLayerSpeed', 'devicesEstimate']),
});

/** The engine's own parts for a search: all of them, and every A/B, in child processes. */
export const engineSearchDeps: SearchDeps = {
  optimize: (request, ctx) => candidateRunner.run(engineTask('optimize'), request, ctx),
  compare: async (args, ctx) => (await import('../bench/run-in-child')).benchCompareInChild(args, ctx),
  estimate: (model, deviceId, userFolder, ctx) =>
    candidateRunner.run(engineTask('devicesEstimate'), { model, deviceIds: [deviceId], dims: {}, values: {}, userFolder }, ctx),
  verify: (original, candidate, ctx) => candidateRunner.run(engineTask('searchVerify'), { model: original, candidate }, ctx),
  layerSpeed: (floatModel, int8Model, threads, ctx) =>
    candidateRunner.run(engineTask('searchLayerSpeed'), { model: floatModel, int8Model, threads }, ctx),
};

/** `search.run` as a job task. */
export function searchTask(request: SearchRequest, ctx: EngineContext): Promise<SearchReport> {
  return runSearch(request, engineSearchDeps, ctx);
}
