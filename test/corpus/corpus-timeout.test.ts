import { describe, expect, it } from 'vitest';
import type { CorpusFile } from '../../scripts/corpus/corpus-schema';
import { runCorpus } from '../../scripts/corpus/run-corpus';

describe('the corpus time limit', () => {
  it('a cell stopped by its time limit says the limit was reached, not that the job was cancelled', { timeout: 120_000 }, async () => {
    // `graph` on this model takes many seconds (the engine child alone needs more than 1 s to start): the 1 s limit
    // stops it while the job is running, on a fast machine as on a loaded one.
    const corpus: CorpusFile = { models: [{ model: 'npm:@mediapipe/face_detection/face_detection_full_range.tflite', ops: {} }] };
    const [cell] = await runCorpus(corpus, { ops: ['graph'], jobs: 1, timeoutSeconds: 1 });
    expect(cell?.measured).toMatchObject({ outcome: 'timeout', reason: 'the time limit (1 s) was reached' });
    expect(cell?.judgement.status).not.toBe('expected');
  });
});
