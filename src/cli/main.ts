import { Command, CommanderError } from 'commander';
import { LITHE_VERSION } from '../engine/service';
import { registerBatch } from './commands/batch';
import { registerBench } from './commands/bench';
import { registerConvert } from './commands/convert';
import { registerDevices } from './commands/devices';
import { registerEval } from './commands/eval';
import { registerIdentify } from './commands/identify';
import { registerInspect } from './commands/inspect';
import { registerOptimize } from './commands/optimize';
import { registerPack } from './commands/pack';
import { registerSearch } from './commands/search';
import { registerServe } from './commands/serve';
import { registerDistill, registerRecover, registerTrain } from './commands/train';
import { closeEngine } from './engine';
import { reportFailure } from './output';

const program = new Command('lithe')
  .description('Make neural-network models small and fast for edge devices.')
  .version(LITHE_VERSION)
  .showHelpAfterError()
  .exitOverride();

registerIdentify(program);
registerInspect(program);
registerConvert(program);
registerOptimize(program);
registerSearch(program);
registerPack(program);
registerBatch(program);
registerBench(program);
registerEval(program);
registerDevices(program);
registerTrain(program);
registerDistill(program);
registerRecover(program);
registerServe(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  await closeEngine();
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.exit(reportFailure(error));
}
await closeEngine();
