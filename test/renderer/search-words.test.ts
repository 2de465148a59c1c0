import { describe, expect, it } from 'vitest';
import type { SearchCandidate } from '../../src/contract';
import { answersBand, plainNote, statusWords, timeWords } from '../../src/renderer/lib/search/candidate-words';
import { chosenWords, progressWords } from '../../src/renderer/lib/search/chosen-words';
import { speedSizePoints } from '../../src/renderer/lib/search/pareto';
import { rankCandidates } from '../../src/renderer/lib/search/rank';
import { findJargon } from '../e2e/support/vocabulary';
import { candidateOf as candidate, searchReportOf as report, speedOf as speed } from '../helpers/search-report';

const fidelity = (cosine: number): SearchCandidate['fidelity'] => ({ cosine, inputs: 'random' });
const original = candidate('original', 'baseline', 1000, {
  runDir: undefined,
  model: '/models/m.onnx',
  note: 'The baseline every candidate is measured against.',
});
const candidates = [
  original,
  candidate('fp16', 'measured', 500, { speed: speed(0.9, 'faster'), fidelity: fidelity(0.9999998) }),
  candidate('int8-static', 'measured', 260, { speed: speed(0.4, 'faster'), fidelity: fidelity(0.9991) }),
  candidate('int8-dynamic', 'pruned', 250, { speed: speed(1.3, 'slower', 1), fidelity: fidelity(0.9995) }),
  candidate('int4-weights', 'rejected', 150, {
    fidelity: fidelity(0.99),
    note: 'Its outputs moved too far: cosine 0.9900 to the original, below 0.995.',
  }),
  candidate('graph', 'duplicate', 1000, { note: 'Same bytes as the original: the recipe changed nothing more.' }),
];
const picked = report(
  { id: 'int8-static', model: '/runs/s/candidates/int8-static/m.onnx', label: 'x', reason: 'cosine 0.9991, 95 % CI', isOriginal: false },
  candidates,
);

describe('the search result in plain words', () => {
  it('ranks the chosen one first, then the timed ones by the goal, then the rest', () => {
    expect(rankCandidates(picked).map((row) => [row.candidate.id, row.rank])).toEqual([
      ['int8-static', 1],
      ['fp16', 2],
      ['original', 3],
      ['int8-dynamic', 4],
      ['graph', undefined],
      ['int4-weights', undefined],
    ]);
    const smallest = rankCandidates({ ...picked, goal: 'smallest' }).map((row) => row.candidate.id);
    expect(smallest.slice(0, 3)).toEqual(['int8-static', 'int8-dynamic', 'fp16']);
  });

  it('marks the best trade-offs of size and time: nothing else is both smaller and faster', () => {
    const front = speedSizePoints(picked)
      .filter((point) => point.front)
      .map((point) => point.id);
    expect(front.sort()).toEqual(['int8-dynamic', 'int8-static']);
  });

  it('says why the chosen one was chosen, with both times, without statistics words', () => {
    const words = chosenWords(picked);
    expect(words.title).toBe('Chosen: the int8-static version');
    expect(words.reason).toContain('It is 2.5× as fast as the original: 0.80 ms instead of 2.0 ms for a typical run on this computer.');
    expect(words.reason).toContain('26 % of the original’s size');
    expect(findJargon(`${words.title} ${words.reason}`)).toEqual([]);
  });

  it('says plainly when the original is kept, and names the closest alternative', () => {
    const kept = report(
      { id: 'original', model: '/models/m.onnx', label: 'no faster candidate', reason: '…', isOriginal: true },
      candidates.map((entry) => (entry.speed ? { ...entry, speed: speed(entry.speed.ratio + 0.7, 'no-significant-difference') } : entry)),
    );
    const words = chosenWords(kept);
    expect(words.title).toBe('No faster candidate: the original is kept');
    expect(words.reason).toBe(
      'No candidate was clearly faster than the original on this computer, so Lithe gives back the original model, unchanged. ' +
        'The closest was the int8-static version: it takes 10 % more time than the original, at 26 % of its size.',
    );
    expect(statusWords(original, kept).tag).toBe('chosen: the original');
  });

  it('gives every candidate a status and a reason free of flags and jargon', () => {
    const all = candidates.map((entry) => statusWords(entry, picked));
    expect(all.map((entry) => entry.tag)).toEqual(['the original', 'measured', 'chosen', 'stopped early', 'refused', 'same as another']);
    expect(all[4]?.why).toBe('Its answers moved too far from the original’s: similarity 0.9900, this goal needs at least 0.995.');
    expect(findJargon(all.map((entry) => entry.why).join('\n'))).toEqual([]);
    expect(findJargon(plainNote(picked.warnings.join(' ')))).toEqual([]);
    expect(
      findJargon(plainNote('slower: median 2 ms (ratio 1.2, 95 % CI 1.1–1.3); output cosine 0.99; see `lithe bench --profile`')),
    ).toEqual([]);
  });

  it('says times as time and answers in three bands', () => {
    expect([timeWords(0.4), timeWords(0.8), timeWords(1), timeWords(1.2), timeWords(2)]).toEqual([
      '2.5× as fast',
      '20 % less time',
      'the same time',
      '20 % more time',
      '2.0× the time',
    ]);
    expect([answersBand(0.99999), answersBand(0.9995), answersBand(0.99)]).toEqual(['same', 'close', 'further']);
  });

  it('says the engine’s steps as what is being done', () => {
    expect(progressWords({ stage: 'build', message: 'building int8-static' })?.message).toBe(
      'Making the int8-static version and checking its answers',
    );
    expect(progressWords({ stage: 'measure', message: 'fp16: round 1, 40 pairs' })?.message).toBe(
      'Timing fp16 against the original, in turns (round 1, 40 pairs)',
    );
  });
});

describe('a goal no candidate meets', () => {
  it('names the smallest candidate and why it was not taken', () => {
    const kept = report(
      { id: 'original', model: '/models/m.onnx', label: 'no smaller candidate', reason: '…', isOriginal: true },
      [original, candidate('int4-weights', 'rejected', 150, { fidelity: { cosine: 0.98, inputs: 'random' } })],
      'smallest',
    );
    const words = chosenWords(kept);
    expect(words.title).toBe('No smaller candidate: the original is kept');
    expect(words.reason).toBe(
      'No candidate kept its answers close enough to the original’s while making the file at least 5 % smaller, so Lithe gives back the original model, unchanged. ' +
        'The smallest was the int4-weights version, at 15 % of the size: its answers moved too far from the original’s: similarity 0.9800, this goal needs at least 0.995.',
    );
    expect(findJargon(words.reason)).toEqual([]);
  });
});

describe('a search the time limit cut short', () => {
  it('says a version was timed in the short first round only', () => {
    const short = candidate('fp16', 'measured', 500, { speed: speed(0.9, 'faster', 1), fidelity: fidelity(0.9999) });
    expect(statusWords(short, picked).why).toMatch(/Timed in the short first round only: the time limit ran out\.$/);
  });
});
