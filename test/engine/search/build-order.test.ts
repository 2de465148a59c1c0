import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { BenchCompareResult } from '../../../src/contract/bench';
import type { OptimizeReport } from '../../../src/contract/optimize';
import { buildOrder } from '../../../src/engine/search/build-order';
import { CANDIDATE_SOURCES, type CandidateSource } from '../../../src/engine/search/candidate-sources';
import { runSearch, TIMING_SHARE, type SearchDeps } from '../../../src/engine/search/run-search';
import { encode, mlpModel } from '../helpers/onnx-builders';

const ids = (sources: readonly CandidateSource[]): string[] => sources.map((source) => source.id);
const before = (order: string[], first: string, second: string): boolean => order.indexOf(first) < order.indexOf(second);

// Issue 14: under load, building used the whole budget and nothing was timed. Likely winners for the
// goal and the device are built first, and part of the budget is kept for timing them.
describe('the build order', () => {
  it('puts the likeliest winners of each goal first, every source after those it starts from', () => {
    const fastest = ids(buildOrder(CANDIDATE_SOURCES, { goal: 'fastest', microcontroller: false }));
    expect(fastest.slice(0, 2)).toEqual(['int8-static', 'int8-static-per-tensor']);
    expect(before(fastest, 'int8-static', 'fp16')).toBe(true);
    expect(ids(buildOrder(CANDIDATE_SOURCES, { goal: 'smallest', microcontroller: false }))[0]).toBe('int4-weights');
    expect(ids(buildOrder(CANDIDATE_SOURCES, { goal: 'accurate', microcontroller: false }))[0]).toBe('graph');
    for (const goal of ['fastest', 'balanced', 'smallest', 'accurate'] as const)
      for (const microcontroller of [false, true]) {
        const order = buildOrder(CANDIDATE_SOURCES, { goal, microcontroller });
        expect([...ids(order)].sort()).toEqual([...ids(CANDIDATE_SOURCES)].sort());
        for (const source of order)
          for (const need of [source.base, source.layerSpeedOf?.float, source.layerSpeedOf?.int8])
            if (need) expect(before(ids(order), need, source.id)).toBe(true);
      }
  });

  it('builds the float candidates last for a microcontroller, whose integer runtime cannot run them', () => {
    const order = ids(buildOrder(CANDIDATE_SOURCES, { goal: 'accurate', microcontroller: true }));
    expect(order.indexOf('graph')).toBeGreaterThan(order.indexOf('int4-weights'));
    expect(order.indexOf('fp16')).toBeGreaterThan(order.indexOf('int8-dynamic'));
  });
});

// A clock the fakes move: building takes `buildMs` per candidate, a measurement 1 s.
let clock = 0;
const dir = mkdtempSync(join(tmpdir(), 'lithe-build-order-'));
const model = join(dir, 'mlp.onnx');
writeFileSync(model, encode(mlpModel()));
afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = (id: string): CandidateSource => ({ id, title: id, recipe: () => ({ name: id, steps: [] }) });

function fakes(buildMs: number, rejected: ReadonlySet<string> = new Set()): SearchDeps & { compared: string[] } {
  const compared: string[] = [];
  return {
    compared,
    sources: ['graph', 'fp16', 'int8-dynamic', 'int8-static', 'int4-weights', 'mixed'].map(source),
    optimize: async (request) => {
      clock += buildMs;
      const id = typeof request.recipe === 'string' ? request.recipe : request.recipe.name;
      const path = join(dir, `${id}.onnx`);
      writeFileSync(path, id);
      return {
        runDir: request.outDir,
        recipe: { name: id, steps: [] },
        output: { path, sizeBytes: 100, sha256: id },
        verification: rejected.has(id) ? { status: 'failed', reason: 'moved' } : { status: 'passed', cosine: 0.9999 },
      } as unknown as OptimizeReport;
    },
    compare: async (args) => {
      clock += 1000;
      compared.push(args.b.model);
      const side = { latencyMs: { p50: 1 } };
      return { ratio: { median: 0.8, low: 0.75, high: 0.85 }, verdict: 'faster', a: side, b: side } as unknown as BenchCompareResult;
    },
    estimate: () => Promise.reject(new Error('no device in this test')),
    verify: () => Promise.reject(new Error('no derived candidates in this test')),
  };
}

const search = (deps: SearchDeps, outDir: string) =>
  runSearch(
    {
      model,
      outDir: join(dir, outDir),
      userFolder: join(dir, 'devices'),
      goal: 'fastest',
      budgetMinutes: 1,
      threads: 1,
      minEffect: 0.05,
      pairs: 100,
    },
    deps,
  );

describe('the time kept for timing', () => {
  it(`stops building when ${TIMING_SHARE * 100} % of the budget is left, and times what was built`, async () => {
    clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const deps = fakes(15_000);
    const report = await search(deps, 'kept');
    // Builds start at 0, 15 and 30 s; at 45 s less than 30 % of the minute is left.
    const built = report.candidates.filter((c) => c.runDir !== undefined).map((c) => c.id);
    expect(built).toEqual(['int8-static', 'graph', 'int8-dynamic']);
    const late = report.candidates.filter((c) => c.status === 'skipped');
    expect(late.map((c) => c.id)).toEqual(['fp16', 'int4-weights', 'mixed']);
    for (const c of late)
      expect(c.note).toMatch(
        /^Not built: the time budget ran out for building \(the last 30 % of it is kept for timing the ones built\)\.$/,
      );
    // The short first round for all three, the full round for the better half.
    expect(deps.compared).toHaveLength(built.length + 2);
    expect(report.chosen.isOriginal).toBe(false);
  });

  it('goes on building past that point until two usable candidates exist, within the budget', async () => {
    clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const deps = fakes(25_000, new Set(['int8-static']));
    const report = await search(deps, 'minimum');
    // 0 s: int8-static (refused); 25 s: graph; 50 s: past the 42 s mark with one usable, so int8-dynamic; 75 s: over.
    expect(report.candidates.filter((c) => c.runDir !== undefined).map((c) => c.id)).toEqual(['int8-static', 'graph', 'int8-dynamic']);
    expect(report.candidates.find((c) => c.id === 'fp16')?.note).toBe('Not built: the time budget ran out.');
  });
});
