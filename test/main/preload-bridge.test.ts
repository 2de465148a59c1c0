import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CommandError, type LitheApi, type LitheBridge, type Progress } from '../../src/contract';
import { createEngineService, type EngineService } from '../../src/engine/service';
import { APP_ENTRY } from '../../src/main/allowed-urls';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';

// The desktop app's whole call path except Electron itself, which cannot run here: the renderer's
// bridge (createPreloadApi) → the real preload (src/preload) → IPC → the real main-process host
// (src/main/ipc-host.ts) → the engine. Only Electron's transport is stood in for, and it copies what
// crosses as Electron does: arguments and results by structured clone, functions across the context
// bridge as callables, nothing else (a class instance arrives as plain data, a non-cloneable value throws).

const electron = vi.hoisted(() => {
  type Handler = (event: unknown, ...args: unknown[]) => unknown;
  const handlers = new Map<string, Handler>();
  const mainListeners = new Map<string, Handler[]>();
  const rendererListeners = new Map<string, Handler[]>();
  const exposed = new Map<string, unknown>();
  const mainFrame = { url: '' };
  const webContents = {
    mainFrame,
    send: (channel: string, payload: unknown) => {
      const copy = structuredClone(payload);
      for (const listener of rendererListeners.get(channel) ?? []) listener({}, copy);
    },
  };
  const closed: (() => void)[] = [];
  const window = { webContents, isDestroyed: () => false, on: (_event: 'closed', fn: () => void) => closed.push(fn) };
  // What the preload's ipcRenderer calls reach: by default the window's own top frame.
  let frame: { url: string } = mainFrame;
  const event = (): unknown => ({ sender: webContents, senderFrame: frame });

  // contextBridge: functions stay callable across worlds, everything else is copied both ways.
  const acrossWorlds = (value: unknown): unknown => {
    if (typeof value === 'function')
      return (...args: unknown[]) => {
        const result: unknown = value(...args.map(acrossWorlds));
        return result instanceof Promise ? result.then(acrossWorlds) : acrossWorlds(result);
      };
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).some((v) => typeof v === 'function'))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, acrossWorlds(v)]));
    return structuredClone(value);
  };

  return {
    exposed,
    window,
    mainFrame,
    closeWindow: () => closed.splice(0).forEach((fn) => fn()),
    sendFrom: (next: { url: string }) => (frame = next),
    module: {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, acrossWorlds(api)) },
      webUtils: { getPathForFile: () => '' },
      ipcRenderer: {
        invoke: async (channel: string, ...args: unknown[]) => {
          const handler = handlers.get(channel);
          if (!handler) throw new Error(`No handler registered for '${channel}'`);
          return structuredClone(await handler(event(), ...args.map((a) => structuredClone(a))));
        },
        send: (channel: string, ...args: unknown[]) => {
          for (const listener of mainListeners.get(channel) ?? []) listener(event(), ...args.map((a) => structuredClone(a)));
        },
        on: (channel: string, listener: Handler) => rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), listener]),
      },
      ipcMain: {
        handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
        removeHandler: (channel: string) => handlers.delete(channel),
        on: (channel: string, listener: Handler) => mainListeners.set(channel, [...(mainListeners.get(channel) ?? []), listener]),
        removeAllListeners: (channel: string) => mainListeners.delete(channel),
      },
      dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
      BrowserWindow: class {},
    },
  };
});
vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

const RENDERER_DIR = '/opt/Lithe/resources/app.asar/out/renderer';
let service: EngineService;
let api: LitheApi;
// Loaded by a path TypeScript does not follow: the renderer's modules are checked with the DOM's types
// (tsconfig.web.json), which this Node-side test program does not have.
const PRELOAD_API: string = '../../src/renderer/lib/bridge/preload-api';
/** The signal of each call as the main process hands it to the engine. */
const signals: AbortSignal[] = [];

beforeAll(async () => {
  electron.mainFrame.url = APP_ENTRY;
  service = createEngineService({ host: 'electron' });
  const { attachIpcHost } = await import('../../src/main/ipc-host');
  const observed: EngineService = {
    invoke: ((command: string, args: unknown, ctx?: { signal?: AbortSignal }) => {
      if (ctx?.signal) signals.push(ctx.signal);
      return service.invoke(command, args, ctx);
    }) as EngineService['invoke'],
    close: () => service.close(),
  };
  attachIpcHost(electron.window as never, observed, RENDERER_DIR);
  await import('../../src/preload/index');
  const bridge = electron.exposed.get('litheBridge') as LitheBridge | undefined;
  if (!bridge) throw new Error('the preload exposed no litheBridge');
  const { createPreloadApi } = (await import(/* @vite-ignore */ PRELOAD_API)) as { createPreloadApi: (bridge: LitheBridge) => LitheApi };
  api = createPreloadApi(bridge);
});
afterAll(async () => {
  electron.closeWindow();
  await service.close();
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

// Generous: each call starts a job child, which a loaded machine makes slow.
describe('the desktop bridge: renderer → real preload → IPC → real main host → engine', { timeout: 180_000 }, () => {
  it('answers app.info as the desktop host', async () => {
    const info = await api.invoke('app.info', {});
    expect(info.host).toBe('electron');
    expect(info.runtimes.length).toBeGreaterThan(0);
  });

  it('identifies a real model, with progress coming back through the bridge', async () => {
    const progress: Progress[] = [];
    const facts = await api.invoke('file.identify', { path: PPOCR_CLS_ONNX }, { onProgress: (p) => progress.push(p) });
    expect(facts).toMatchObject({ format: 'onnx', sizeBytes: 578_966 });
    expect(facts.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('turns an engine refusal into a CommandError with its code, message and file', async () => {
    const bad = await failure(api.invoke('model.inspect', { path: '/nonexistent/model.onnx' }));
    expect(bad).toBeInstanceOf(CommandError);
    expect((bad as CommandError).code).toBe('not-found');
    expect((bad as CommandError).file).toBe('/nonexistent/model.onnx');
    const invalid = await failure(api.invoke('model.inspect', { path: 42 } as never));
    expect((invalid as CommandError).code).toBe('invalid-argument');
    expect((invalid as CommandError).message).toMatch(/path/);
  });

  it('cancels a running call by its id', async () => {
    const controller = new AbortController();
    let progressBeforeCancel = 0;
    const run = api.invoke(
      'bench.run',
      { models: [PPOCR_CLS_ONNX], plan: { warmupRuns: 1, runs: 100_000, profile: false, profileRuns: 1 } },
      { signal: controller.signal, onProgress: () => (progressBeforeCancel++, controller.abort()) },
    );
    const error = await failure(run);
    expect((error as CommandError).code).toBe('cancelled');
    expect(progressBeforeCancel).toBeGreaterThan(0);
    expect(signals.at(-1)?.aborted).toBe(true); // the cancel reached the main process, not only the page
  });

  it('refuses IPC that does not come from the window’s own top frame on app://lithe/', async () => {
    for (const frame of [{ url: 'https://evil.example/' }, { url: 'file:///etc/passwd' }]) {
      electron.sendFrom(frame);
      try {
        const refused = await failure(api.invoke('app.info', {}));
        expect(String(refused)).toMatch(/Refused: IPC from an unknown sender/);
      } finally {
        electron.sendFrom(electron.mainFrame);
      }
    }
    expect((await api.invoke('app.info', {})).host).toBe('electron');
  });
});
