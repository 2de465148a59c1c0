import type { SearchReport } from '../../contract/search';
import type { EngineContext } from '../context';
import { runSearch, type SearchDeps, type SearchRequest } from './run-search';

/** The engine's own parts for a search: optimize in this worker, every A/B in a child process. */
export const engineSearchDeps: SearchDeps = {
  optimize: async (request, ctx) => (await import('../optimize/optimize-model')).optimizeModel(request, ctx),
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
