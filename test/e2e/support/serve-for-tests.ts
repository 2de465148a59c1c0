// Starts the real web host over the real engine service for the browser tests, serving ./out/renderer.
// Run with `node bin/run-ts.js test/e2e/support/serve-for-tests.ts`; prints the same line as `lithe serve`.
import { resolve } from 'node:path';
import { createEngineService } from '../../../src/engine/service/engine-service';
import { startWebHost } from '../../../src/server/web-host';

const service = createEngineService({ host: 'web' });
const host = await startWebHost({ port: 0, rendererDir: resolve('out/renderer'), service });
console.log(`Lithe is serving on ${host.url}`);

const stop = (): void => {
  void Promise.all([host.close(), service.close()]).finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
