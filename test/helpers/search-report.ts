import type { SearchCandidate, SearchReport } from '../../src/contract';

/** An A/B timing of a candidate with ratio `ratio` (original 2 ms), its interval ±5 %. */
export function speedOf(ratio: number, verdict: 'faster' | 'slower' | 'no-significant-difference', round = 2): SearchCandidate['speed'] {
  return { ratio, low: ratio * 0.95, high: ratio * 1.05, verdict, originalMedianMs: 2, candidateMedianMs: 2 * ratio, pairs: 200, round };
}

/** A candidate of the search in `/runs/s` with id `id`. */
export function candidateOf(
  id: string,
  status: SearchCandidate['status'],
  sizeBytes: number,
  extra: Partial<SearchCandidate> = {},
): SearchCandidate {
  return {
    id,
    title: `the ${id} version`,
    model: `/runs/s/candidates/${id}/m.onnx`,
    runDir: `/runs/s/candidates/${id}`,
    sizeBytes,
    threads: 1,
    status,
    note: '',
    ...extra,
  };
}

/** A search report of `/models/m.onnx` (folder `runDir`) with `candidates` and the pick `chosen`. */
export function searchReportOf(
  chosen: SearchReport['chosen'],
  candidates: SearchCandidate[],
  goal: SearchReport['goal'] = 'fastest',
  runDir = '/runs/s',
): SearchReport {
  return {
    schema: 'lithe.search/1',
    createdAt: '2026-12-03T14:00:00.000Z',
    runDir,
    model: '/models/m.onnx',
    goal,
    machine: { cpu: 'x', cores: 2, totalMemoryBytes: 1, platform: 'linux', arch: 'x64', node: '22', onnxruntime: '1' },
    threads: 1,
    minCosine: 0.995,
    minEffect: 0.05,
    budgetMinutes: 10,
    chosen,
    candidates,
    counts: { built: 4, measured: 2, pruned: 1, rejected: 1 },
    wallSeconds: 12,
    files: { json: `${runDir}/candidates.json`, csv: `${runDir}/candidates.csv` },
    warnings: ['Without --labels only agreement with the original is measured, not accuracy.'],
  };
}
