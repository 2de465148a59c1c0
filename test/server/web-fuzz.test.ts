import { describe, expect, it } from 'vitest';
import { fuzzWebHost } from '../../scripts/fuzz/web-fuzz';

// The fast variant of `npm run fuzz:web`: a real `lithe serve`, hostile requests, upgrades, cookies,
// frames and messages; after each one the server must still answer app.info.
describe('web host under hostile input', () => {
  it('answers app.info after each of 60 malformed requests, upgrades, frames and messages', async () => {
    const report = await fuzzWebHost({ count: 60, seed: 7 });
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(60);
    expect(Object.keys(report.byKind).sort()).toEqual(['frame', 'message', 'raw-http', 'upgrade']);
  }, 240_000);
});
