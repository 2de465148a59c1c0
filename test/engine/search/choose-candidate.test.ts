import { describe, expect, it } from 'vitest';
import type { CandidateSpeed, SearchCandidate } from '../../../src/contract/search';
import { FLOAT_ON_MICROCONTROLLER } from '../../../src/engine/devices/fit';
import { chooseCandidate } from '../../../src/engine/search/choose-candidate';

const ORIGINAL = '/models/net.onnx';

function speed(ratio: number, low: number, high: number): CandidateSpeed {
  const verdict = high < 0.95 ? 'faster' : low > 1.05 ? 'slower' : 'no-significant-difference';
  return { ratio, low, high, verdict, originalMedianMs: 10, candidateMedianMs: 10 * ratio, pairs: 200, round: 2 };
}

function candidate(
  id: string,
  sizeBytes: number,
  cosine: number,
  s?: CandidateSpeed,
  status: SearchCandidate['status'] = 'measured',
): SearchCandidate {
  return {
    id,
    title: id,
    recipe: id,
    model: `/run/${id}.onnx`,
    sizeBytes,
    threads: 1,
    status,
    note: '',
    fidelity: { cosine, inputs: 'random' },
    ...(s ? { speed: s } : {}),
  };
}

function onDevice(c: SearchCandidate, expected: number, fits = true): SearchCandidate {
  return {
    ...c,
    device: {
      deviceId: 'board',
      deviceName: 'Board',
      latencyMs: { low: expected * 0.5, expected, high: expected * 2 },
      threads: 1,
      memoryBoundShare: 0.5,
      ramNeededBytes: 1000,
      storageNeededBytes: 1000,
      fitsRam: fits,
      fitsStorage: true,
      notes: [],
    },
  };
}

describe('chooseCandidate', () => {
  it('fastest: the lowest ratio among those judged faster', () => {
    const chosen = chooseCandidate(
      'fastest',
      [
        candidate('a', 500, 0.999, speed(0.8, 0.75, 0.85)),
        candidate('b', 300, 0.999, speed(0.5, 0.45, 0.55)),
        candidate('c', 100, 0.999, speed(0.4, 0.2, 1.1)),
      ],
      ORIGINAL,
      1000,
    );
    expect(chosen).toMatchObject({ id: 'b', isOriginal: false, model: '/run/b.onnx' });
    expect(chosen.reason).toContain('2.0× faster');
  });

  it('fastest: returns the original, labelled, when nothing is significantly faster — never a slower model', () => {
    const chosen = chooseCandidate(
      'fastest',
      [candidate('slow', 250, 0.999, speed(1.4, 1.3, 1.5)), candidate('same', 500, 0.999, speed(0.98, 0.9, 1.05))],
      ORIGINAL,
      1000,
    );
    expect(chosen).toMatchObject({ id: 'original', model: ORIGINAL, label: 'no faster candidate', isOriginal: true });
    expect(chosen.reason).toContain('The closest was same');
  });

  it('fastest: a pruned candidate is never chosen, even with a low first-round ratio', () => {
    const chosen = chooseCandidate('fastest', [candidate('p', 250, 0.999, speed(0.5, 0.4, 0.6), 'pruned')], ORIGINAL, 1000);
    expect(chosen.isOriginal).toBe(true);
  });

  it('accurate: only candidates within float rounding count', () => {
    const candidates = [candidate('int8', 250, 0.999, speed(0.3, 0.25, 0.35)), candidate('graph', 990, 0.999999, speed(0.9, 0.85, 0.93))];
    expect(chooseCandidate('accurate', candidates, ORIGINAL, 1000).id).toBe('graph');
    expect(chooseCandidate('accurate', candidates.slice(0, 1), ORIGINAL, 1000).label).toBe('no faster candidate with the same answers');
  });

  it('smallest: the smallest file, whatever its speed; the original when nothing is 5 % smaller', () => {
    const candidates = [candidate('int8', 250, 0.999, speed(1.2, 1.1, 1.3)), candidate('int4', 150, 0.995, speed(1.3, 1.2, 1.4), 'pruned')];
    const chosen = chooseCandidate('smallest', candidates, ORIGINAL, 1000);
    expect(chosen.id).toBe('int4');
    expect(chosen.reason).toContain('15 % of the original');
    expect(chooseCandidate('smallest', [candidate('g', 990, 1, speed(1, 0.9, 1.1))], ORIGINAL, 1000).label).toBe('no smaller candidate');
  });

  it('balanced: trades size against speed, never a slower one', () => {
    const candidates = [
      candidate('slow-tiny', 100, 0.999, speed(1.3, 1.2, 1.4)),
      candidate('small-same', 250, 0.999, speed(1, 0.95, 1.04)),
      candidate('big-fast', 900, 0.999, speed(0.8, 0.75, 0.85)),
    ];
    expect(chooseCandidate('balanced', candidates, ORIGINAL, 1000).id).toBe('small-same');
    expect(chooseCandidate('balanced', candidates.slice(0, 1), ORIGINAL, 1000).label).toBe('no better candidate');
  });

  it('a device that is not here: ranks by its estimate and says it is one', () => {
    const base = onDevice(candidate('original', 1000, 1, undefined, 'baseline'), 100);
    const int8 = onDevice(candidate('int8', 250, 0.999, speed(1.1, 1.06, 1.2)), 40);
    const fp16 = onDevice(candidate('fp16', 500, 0.9999, speed(0.7, 0.6, 0.8)), 98);
    const chosen = chooseCandidate('fastest', [base, int8, fp16], ORIGINAL, 1000, { name: 'Board', here: false });
    expect(chosen.id).toBe('int8');
    expect(chosen.reason).toContain('estimated 2.5× faster on Board');
    expect(chosen.reason).toContain('not a measurement there');
    // On this machine the measurement decides.
    expect(chooseCandidate('fastest', [base, int8, fp16], ORIGINAL, 1000, { name: 'Here', here: true }).id).toBe('fp16');
  });

  it('a device nothing fits on: the original, labelled so', () => {
    const base = onDevice(candidate('original', 1000, 1, undefined, 'baseline'), 100, false);
    const int8 = { ...onDevice(candidate('int8', 250, 0.999), 40, false), status: 'rejected' as const, note: 'Does not fit on Board.' };
    const chosen = chooseCandidate('fastest', [base, int8], ORIGINAL, 1000, { name: 'Board', here: false });
    expect(chosen).toMatchObject({ isOriginal: true, label: 'does not fit on Board' });
  });

  it('says so when the time budget ran out before any candidate was timed, instead of "no faster candidate"', () => {
    const late = (id: string, built: boolean): SearchCandidate => ({
      ...candidate(id, 250, 0.999, undefined, 'skipped'),
      model: built ? `/run/${id}.onnx` : '',
      note: built ? 'Not measured: the time budget ran out.' : 'Not built: the time budget ran out.',
    });
    for (const goal of ['fastest', 'balanced', 'accurate'] as const) {
      const chosen = chooseCandidate(goal, [late('int8', true), late('fp16', true), late('int4', false)], ORIGINAL, 1000);
      expect(chosen).toMatchObject({ id: 'original', isOriginal: true, label: 'no candidate measured in time' });
      expect(chosen.reason).toContain('(2 built, 1 not built)');
    }
  });

  it('for a device elsewhere, a built candidate the budget left untimed here is still chosen by its estimate there', () => {
    const base = onDevice(candidate('original', 1000, 1, undefined, 'baseline'), 10);
    const int8 = onDevice({ ...candidate('int8', 250, 0.999, undefined, 'skipped'), note: 'Not measured: the time budget ran out.' }, 5);
    const notBuilt = { ...candidate('int4', 0, 0.999, undefined, 'skipped'), model: '', note: 'Not built: the time budget ran out.' };
    const chosen = chooseCandidate('fastest', [base, int8, notBuilt], ORIGINAL, 1000, { name: 'Board', here: false });
    expect(chosen).toMatchObject({ id: 'int8', isOriginal: false });
    expect(chosen.reason).toContain('on Board');
  });

  it('for a microcontroller, never a float model: the int8 one even when a float16 one is estimated faster', () => {
    const float = (c: SearchCandidate): SearchCandidate => ({ ...c, device: { ...c.device!, notes: [FLOAT_ON_MICROCONTROLLER] } });
    const base = float(onDevice(candidate('original', 1000, 1, undefined, 'baseline'), 10));
    const fp16 = float(onDevice(candidate('fp16', 500, 1, speed(0.9, 0.85, 0.93)), 4));
    const int8 = onDevice(candidate('int8', 250, 0.999, speed(0.9, 0.85, 0.93)), 5);
    expect(chooseCandidate('fastest', [base, fp16, int8], ORIGINAL, 1000, { name: 'MCU', here: false }).id).toBe('int8');
    expect(chooseCandidate('fastest', [base, fp16], ORIGINAL, 1000, { name: 'MCU', here: false })).toMatchObject({
      isOriginal: true,
      label: 'does not fit on MCU',
    });
  });
});
