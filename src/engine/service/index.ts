// The engine's public entry for hosts (Electron IPC, the web host, the CLI): one service, the contract's commands.
export { createEngineService, type EngineService, type EngineServiceOptions } from './engine-service';
export { LITHE_VERSION } from './version';
export { defaultRunsFolder, newRunName } from '../runs/runs-folder';
