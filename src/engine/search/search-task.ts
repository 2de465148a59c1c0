import type { SearchReport } from '../../contract/search';
import type { EngineContext } from '../context';
import { JobRunner } from '../jobs/job-runner';
import { engineTask } from '../jobs/task-ref';
import { runSearch, type SearchDeps, type SearchRequest } from './run-search';

/**
 * Runs the candidates' optimize jobs of a search, one at a time: each in a child process of its own
 * whose resident memory is watched, as every optimize job of a host (ONNX Runtime's native memory is
 * out of this worker's heap limit).
 */
const candidateRunner = new JobRunner({ concurrency: 1, childTasks: new Set(['optimize']) });

/** The engine's own parts for a search: each candidate's optimize and every A/B in a child process. */
export const engineSearchDeps: SearchDeps = {
  optimize: (request, ctx) => candidateRunner.run(engineTask('optimize'), request, ctx),
  compare: async (args, ctx) => (await import('../bench/run-in-child')).benchCompareInChild(args, ctx),
  estimate: async (model, deviceId, userFolder, ctx) =>
    (await import('../devices/estimate')).estimateDevices({ model, deviceIds: [deviceId], dims: {}, values: {} }, userFolder, ctx),
  verify: async (original, candidate, ctx) => (await import('./verify-against')).verifyAgainst(original, candidate, ctx),
  layerSpeed: async (floatModel, int8Model, threads, ctx) =>
    (await import('./int8-layer-speed')).measureInt8Layers(floatModel, int8Model, { threads }, ctx),
};

/** `search.run` as a job task. */
export function searchTask(request: SearchRequest, ctx: EngineContext): Promise<SearchReport> {
  return runSearch(request, engineSearchDeps, ctx);
}
