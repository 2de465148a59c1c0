import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceEstimate, DeviceEstimateResult, DeviceProfile } from '../../contract/devices';
import { CommandError } from '../../contract/errors';
import type { OptimizeReport } from '../../contract/optimize';
import { candidateTitle } from './candidate-title';
import { duplicateNote } from './duplicate-note';
import type { SearchArgs, SearchCandidate, SearchReport } from '../../contract/search';
import { machineInfo } from '../bench/machine-info';
import type { EngineContext } from '../context';
import { LitheError, reasonOf, throwIfCancelled } from '../errors';
import { findDevice } from '../devices/find-device';
import { listDevices } from '../devices/list-devices';
import { identifyFile } from '../files/identify-file';
import type { OptimizeRequest } from '../optimize/optimize-model';
import { buildOrder } from './build-order';
import { CANDIDATE_SOURCES, type CandidateSource } from './candidate-sources';
import { candidatesCsv } from './candidates-csv';
import { BUDGET_RAN_OUT, chooseCandidate, ROUNDING_COSINE, type TargetDevice } from './choose-candidate';
import type { Int8LayerSpeed } from './int8-layer-speed';
import { slowLayersNote } from './slow-layers-note';
import { raceCandidates, type CompareFn } from './race';
import { openSearchFolder } from './search-folder';

/** A search as the engine runs it: the contract's arguments with the folders resolved. */
export type SearchRequest = SearchArgs & { outDir: string; userFolder: string };

/** What the search calls out to; tests and other hosts can pass their own. */
export interface SearchDeps {
  optimize(request: OptimizeRequest, ctx: EngineContext): Promise<OptimizeReport>;
  compare: CompareFn;
  estimate(model: string, deviceId: string, userFolder: string, ctx: EngineContext): Promise<DeviceEstimateResult>;
  /** Runs `candidate` against `original` on the same inputs (for candidates built from another candidate). */
  verify(original: string, candidate: string, ctx: EngineContext): Promise<NonNullable<SearchCandidate['fidelity']>>;
  /** Times a float model and its int8 version layer by layer; sources with `layerSpeedOf` need it. */
  layerSpeed?(floatModel: string, int8Model: string, threads: number, ctx: EngineContext): Promise<Int8LayerSpeed>;
  sources?: readonly CandidateSource[];
}

/** The smallest output cosine a goal accepts when the user names none. */
export function defaultMinCosine(goal: SearchArgs['goal']): number {
  if (goal === 'accurate') return ROUNDING_COSINE;
  return goal === 'smallest' ? 0.99 : 0.995;
}

/** The device profile `query` names, before any candidate is built; an unknown name is refused. */
function resolveDevice(query: string, userFolder: string): DeviceProfile {
  const { profiles } = listDevices(userFolder);
  const device = findDevice(profiles, query);
  if (!device)
    throw new LitheError(
      'invalid-argument',
      `unknown device "${query}"; one of: ${profiles.map((profile) => profile.id).join(', ')} (see \`lithe devices\`)`,
    );
  return device;
}

/** Share of the budget kept for timing: building stops when only this much is left. */
export const TIMING_SHARE = 0.3;
/** Usable candidates built before building stops for timing, whatever the budget (while any is left). */
export const MIN_USABLE = 2;

const kb = (bytes: number): string => `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KB`;

function fitProblem(estimate: DeviceEstimate, device: string): string | undefined {
  if (!estimate.fitsRam) return `Does not fit on ${device}: needs ${kb(estimate.ramNeededBytes)} RAM at run time.`;
  if (!estimate.fitsStorage) return `Does not fit on ${device}: needs ${kb(estimate.storageNeededBytes)} of storage.`;
  return undefined;
}

function fromReport(source: CandidateSource, report: OptimizeReport, threads: number): SearchCandidate {
  const fidelity = report.evaluation?.fidelity;
  const v = report.verification;
  const before = report.evaluation?.accuracyBefore;
  const after = report.evaluation?.accuracyAfter;
  const cosine = fidelity?.cosine ?? v.cosine;
  return {
    id: source.id,
    title: candidateTitle(source.title, report),
    recipe: report.recipe.name,
    model: report.output.path,
    runDir: report.runDir,
    sizeBytes: report.output.sizeBytes,
    threads,
    status: 'measured',
    note: '',
    ...(cosine !== undefined
      ? {
          fidelity: {
            cosine,
            ...(v.relative !== undefined ? { maxRelative: v.relative } : {}),
            ...((fidelity?.top1Agreement ?? v.top1Agreement) !== undefined
              ? { top1Agreement: fidelity?.top1Agreement ?? v.top1Agreement }
              : {}),
            inputs: fidelity ? 'data' : (v.inputs ?? 'random'),
          },
        }
      : {}),
    ...(before && after ? { accuracy: { top1: after.top1, originalTop1: before.top1 } } : {}),
  };
}

function failed(source: CandidateSource, error: unknown, threads: number): SearchCandidate {
  // Errors come back from the candidates' child processes as CommandError, with the same codes.
  const rejected = (error instanceof LitheError || error instanceof CommandError) && error.code === 'verification-failed';
  return {
    id: source.id,
    title: source.title,
    model: '',
    sizeBytes: 0,
    threads,
    status: rejected ? 'rejected' : 'failed',
    note: rejected ? `A step moved the outputs beyond its tolerance: ${reasonOf(error)}` : `The recipe failed: ${reasonOf(error)}`,
  };
}

function verdictNote(candidate: SearchCandidate): string {
  const speed = candidate.speed;
  if (!speed) return candidate.note;
  const words =
    speed.verdict === 'faster'
      ? 'faster than the original'
      : speed.verdict === 'slower'
        ? 'slower than the original'
        : 'no significant difference';
  const ci = `95 % CI ${speed.low.toFixed(3)}–${speed.high.toFixed(3)}`;
  const medians = `median ${speed.candidateMedianMs.toFixed(3)} ms vs ${speed.originalMedianMs.toFixed(3)} ms`;
  return `${words}: ${medians} (ratio ${speed.ratio.toFixed(3)}, ${ci}, ${speed.pairs} pairs).`;
}

/**
 * Searches for the model that serves `request.goal` best: builds a candidate per source (an
 * optimize run each, verified against the original), rejects those whose outputs move too far or
 * that do not fit the device, races the rest A/B against the original, picks one — or returns the
 * original, labelled, when nothing is better — and writes `candidates.json` and `candidates.csv`.
 */
export async function runSearch(request: SearchRequest, deps: SearchDeps, ctx: EngineContext = {}): Promise<SearchReport> {
  const started = performance.now();
  const deadline = started + request.budgetMinutes * 60_000;
  // Building stops early enough to time what was built — once a few usable candidates exist.
  const buildDeadline = deadline - TIMING_SHARE * request.budgetMinutes * 60_000;
  const facts = await identifyFile(request.model, ctx);
  if (!facts.format) throw new LitheError('not-a-model', facts.reason ?? 'Not an ONNX or TFLite model.', { file: facts.path });
  const device = request.deviceId ? resolveDevice(request.deviceId, request.userFolder) : undefined;
  const deviceId = device?.id;
  const minCosine = request.minCosine ?? defaultMinCosine(request.goal);
  const hasData = request.data !== undefined;
  const folder = await openSearchFolder(request.outDir);
  const warnings: string[] = [];
  try {
    const candidates: SearchCandidate[] = [
      {
        id: 'original',
        title: 'the original model',
        model: facts.path,
        sizeBytes: facts.sizeBytes,
        threads: request.threads,
        status: 'baseline',
        note: 'The baseline every candidate is measured against.',
      },
    ];
    const format = facts.format;
    const ordered = buildOrder(deps.sources ?? CANDIDATE_SOURCES, {
      goal: request.goal,
      microcontroller: device?.storageKind === 'flash',
    });
    const sources = ordered
      .map((source) => ({ source, recipe: source.recipe({ format, hasData }) }))
      // A source that needs a per-layer profile proposes its recipe once the profile is known (if it applies at all).
      .filter(
        (entry) =>
          entry.recipe !== undefined ||
          (entry.source.layerSpeedOf && deps.layerSpeed && entry.source.recipe({ format, hasData, slowerInInt8: ['?'] }) !== undefined),
      );
    const seen = new Map<string, string>([[facts.sha256, 'original']]);
    for (const [index, entry] of sources.entries()) {
      const { source } = entry;
      let recipe = entry.recipe;
      throwIfCancelled(ctx.signal);
      const usable = candidates.filter((c) => c.status === 'measured').length;
      const now = performance.now();
      if (now > deadline || (now > buildDeadline && usable >= MIN_USABLE)) {
        const why =
          now > deadline
            ? BUDGET_RAN_OUT
            : `${BUDGET_RAN_OUT} for building (the last ${TIMING_SHARE * 100} % of it is kept for timing the ones built)`;
        candidates.push({ ...failed(source, undefined, request.threads), status: 'skipped', note: `Not built: ${why}.` });
        continue;
      }
      let layers: Int8LayerSpeed | undefined;
      if (source.layerSpeedOf && deps.layerSpeed) {
        const float = candidates.find((c) => c.id === source.layerSpeedOf?.float && c.runDir !== undefined);
        const int8 = candidates.find((c) => c.id === source.layerSpeedOf?.int8 && c.status === 'measured');
        if (!float || !int8) continue;
        ctx.onProgress?.({ stage: 'build', fraction: (0.4 * index) / sources.length, message: `profiling ${float.id} and ${int8.id}` });
        try {
          layers = await deps.layerSpeed(float.model, int8.model, request.threads, { signal: ctx.signal });
        } catch (error) {
          if (ctx.signal?.aborted) throw error;
          candidates.push(failed(source, error, request.threads));
          continue;
        }
        const slower = layers.layers.filter((layer) => layer.slower);
        recipe = source.recipe({ format, hasData, slowerInInt8: slower.flatMap((layer) => layer.outputs) });
        if (!recipe) {
          candidates.push({
            ...failed(source, undefined, request.threads),
            status: 'skipped',
            note: `Not built: ${slowLayersNote(layers.layers, int8.id)}`,
            layers: layers.layers,
          });
          continue;
        }
      }
      ctx.onProgress?.({ stage: 'build', fraction: (0.4 * index) / sources.length, message: `building ${source.id}` });
      const base = source.base ? candidates.find((c) => c.id === source.base && c.status === 'measured') : undefined;
      if (source.base && !base) {
        candidates.push({
          ...failed(source, undefined, request.threads),
          status: 'skipped',
          note: `Not built: it starts from the ${source.base} candidate, which is not usable.`,
        });
        continue;
      }
      try {
        const report = await deps.optimize(
          {
            model: base?.model ?? facts.path,
            ...(source.format ? { format: source.format } : {}),
            outDir: join(folder.dir, 'candidates', source.id),
            recipe: recipe ?? source.id,
            ...(request.data ? { data: request.data } : {}),
            ...(request.labels ? { labels: request.labels } : {}),
            ...(request.normalize ? { normalize: request.normalize } : {}),
          },
          { signal: ctx.signal },
        );
        const candidate = fromReport(source, report, request.threads);
        if (layers) candidate.layers = layers.layers;
        // Its own run checked it against its starting point; the search compares with the original.
        if (base) candidate.fidelity = await deps.verify(facts.path, candidate.model, { signal: ctx.signal });
        const twin = seen.get(report.output.sha256);
        if (twin) {
          candidate.status = 'duplicate';
          candidate.note = duplicateNote(twin, report);
        } else if (report.verification.status === 'failed') {
          candidate.status = 'rejected';
          candidate.note = `Its outputs differ from the original's: ${report.verification.reason ?? 'verification failed'}.`;
        } else if (candidate.fidelity === undefined) {
          candidate.status = 'rejected';
          candidate.note = 'Its outputs could not be compared with the original, so it is not offered.';
        } else if (candidate.fidelity.cosine < minCosine) {
          candidate.status = 'rejected';
          candidate.note = `Its outputs moved too far: cosine ${candidate.fidelity.cosine.toFixed(4)} to the original, below ${minCosine}.`;
        }
        if (!twin) seen.set(report.output.sha256, source.id);
        candidates.push(candidate);
      } catch (error) {
        if (ctx.signal?.aborted) throw error;
        candidates.push(failed(source, error, request.threads));
      }
    }

    let target: TargetDevice | undefined;
    if (deviceId) {
      for (const candidate of candidates.filter((c) => c.status === 'baseline' || c.status === 'measured')) {
        throwIfCancelled(ctx.signal);
        try {
          const result = await deps.estimate(candidate.model, deviceId, request.userFolder, { signal: ctx.signal });
          const estimate = result.estimates[0];
          if (!estimate) continue;
          target ??= { name: estimate.deviceName, here: estimate.deviceId === result.calibration.deviceId };
          candidate.device = estimate;
          const problem = fitProblem(estimate, estimate.deviceName);
          if (problem && candidate.status === 'measured') {
            candidate.status = 'rejected';
            candidate.note = problem;
          } else if (problem) warnings.push(`The original model: ${problem}`);
        } catch (error) {
          if (error instanceof LitheError && error.code === 'invalid-argument') throw error;
          warnings.push(`No estimate for ${candidate.id} on ${deviceId}: ${reasonOf(error)}`);
        }
      }
    }

    const racing = candidates.filter((c) => c.status === 'measured');
    await raceCandidates(
      racing,
      {
        original: facts.path,
        goal: request.goal,
        threads: request.threads,
        pairs: request.pairs,
        minEffect: request.minEffect,
        originalBytes: facts.sizeBytes,
        deadline,
        compare: deps.compare,
      },
      {
        signal: ctx.signal,
        onProgress: (p) => ctx.onProgress?.({ ...p, fraction: 0.4 + 0.58 * (p.fraction ?? 0) }),
      },
    );
    for (const candidate of racing) if (candidate.status === 'measured') candidate.note = verdictNote(candidate);
    for (const candidate of candidates)
      if (candidate.layers && candidate.status !== 'skipped') candidate.note = `${candidate.note} ${slowLayersNote(candidate.layers)}`;
    if (hasData && !request.labels) warnings.push('Without --labels only agreement with the original is measured, not accuracy.');
    if (!hasData) warnings.push('No data given: int8 ranges were calibrated on generated inputs and fidelity was measured on them.');

    const chosen = chooseCandidate(request.goal, candidates, facts.path, facts.sizeBytes, target);
    const count = (status: SearchCandidate['status']): number => candidates.filter((c) => c.status === status).length;
    const report: SearchReport = {
      schema: 'lithe.search/1',
      createdAt: new Date().toISOString(),
      runDir: folder.dir,
      model: facts.path,
      goal: request.goal,
      ...(deviceId ? { deviceId } : {}),
      machine: machineInfo(),
      threads: request.threads,
      minCosine,
      minEffect: request.minEffect,
      budgetMinutes: request.budgetMinutes,
      chosen,
      candidates,
      counts: {
        built: candidates.filter((c) => c.runDir !== undefined).length,
        measured: count('measured'),
        pruned: count('pruned'),
        rejected: count('rejected'),
      },
      wallSeconds: (performance.now() - started) / 1000,
      files: { json: join(folder.dir, 'candidates.json'), csv: join(folder.dir, 'candidates.csv') },
      warnings,
    };
    await writeFile(report.files.csv, candidatesCsv(candidates, facts.sizeBytes));
    await writeFile(report.files.json, `${JSON.stringify(report, null, 2)}\n`);
    ctx.onProgress?.({ stage: 'done', fraction: 1 });
    return report;
  } catch (error) {
    await folder.discard();
    throw error;
  }
}
