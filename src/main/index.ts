import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createEngineService } from '../engine/service';
import { APP_ENTRY } from './allowed-urls';
import { registerAppScheme } from './app-protocol';
import { attachIpcHost } from './ipc-host';
import { hardenSession, lockNavigation } from './security';

// The Electron host: one hardened window, the contract over IPC, the engine in worker threads.

app.enableSandbox();
registerAppScheme();

const RENDERER_DIR = join(import.meta.dirname, '../renderer');

async function createWindow(): Promise<void> {
  hardenSession(RENDERER_DIR);
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Lithe',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  lockNavigation(window.webContents);
  const service = createEngineService({ host: 'electron' });
  attachIpcHost(window, service, RENDERER_DIR);
  window.on('closed', () => void service.close());
  window.once('ready-to-show', () => window.show());

  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devUrl) await window.loadURL(devUrl);
  else await window.loadURL(APP_ENTRY);
}

app.on('web-contents-created', (_event, contents) => lockNavigation(contents));
app.on('window-all-closed', () => app.quit());
void app.whenReady().then(createWindow);
