import type { Command } from 'commander';
import { createEngineService } from '../../engine/service';
import { defaultAccessPolicy, startWebHost } from '../../server/web-host';
import { usageError } from '../output';
import { ensureRendererBuilt } from '../renderer-build';

/** `lithe serve`: the app's UI in a browser, served on 127.0.0.1 with a per-launch token. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the Lithe UI to a browser on this machine (127.0.0.1 only, with a per-launch access token).')
    .option('-p, --port <port>', 'TCP port (0 = any free port)', '0')
    .option(
      '--allow <folder>',
      'a folder the page may read and write besides your home folder (read), this folder (read) and Lithe’s runs folder; repeatable',
      (folder: string, folders: string[]) => [...folders, folder],
      [] as string[],
    )
    .action(async (options: { port: string; allow: string[] }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw usageError(`--port must be a whole number from 0 to 65535, not "${options.port}".`);
      }
      const rendererDir = await ensureRendererBuilt();
      const service = createEngineService({ host: 'web' });
      const policy = defaultAccessPolicy(options.allow);
      const host = await startWebHost({ port, rendererDir, service, policy }).catch((error: NodeJS.ErrnoException) => {
        throw usageError(error.code === 'EADDRINUSE' ? `Port ${port} is already in use.` : `Cannot listen: ${error.message}`);
      });
      console.log(`Lithe is serving on ${host.url}`);
      console.log('Open that URL in a browser on this machine. Press Ctrl+C to stop.');
      const stop = (): void => {
        void Promise.all([host.close(), service.close()]).finally(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
