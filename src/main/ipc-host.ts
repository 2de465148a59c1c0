import { BrowserWindow, dialog, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { CommandError } from '../contract/errors';
import type { EngineService } from '../engine/service';
import { IPC } from './ipc-channels';
import { isAppUrl } from './allowed-urls';

const InvokeRequest = z.object({ id: z.string().min(1).max(64), command: z.string().max(64), args: z.unknown() }).strict();
const CancelRequest = z.object({ id: z.string().min(1).max(64) }).strict();

/**
 * Connects the contract to IPC for one window: every message is accepted only from that window's
 * own top frame loading our own files (those of `rendererDir`), and is validated before it reaches the engine.
 */
export function attachIpcHost(window: BrowserWindow, service: EngineService, rendererDir: string): void {
  const running = new Map<string, AbortController>();
  const fromOurWindow = (event: IpcMainInvokeEvent | IpcMainEvent): boolean => {
    const frame = event.senderFrame;
    if (event.sender !== window.webContents || !frame || frame !== window.webContents.mainFrame) return false;
    return isAppUrl(frame.url, rendererDir, process.env['ELECTRON_RENDERER_URL']);
  };

  ipcMain.handle(IPC.invoke, async (event, raw: unknown) => {
    if (!fromOurWindow(event)) throw new Error('Refused: IPC from an unknown sender.');
    const request = InvokeRequest.safeParse(raw);
    if (!request.success) return { ok: false, error: { code: 'invalid-argument', message: 'Malformed request.' } };
    const { id, command, args } = request.data;
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const result = await service.invoke(command, args, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (!window.isDestroyed()) window.webContents.send(IPC.progress, { id, progress });
        },
      });
      return { ok: true, result };
    } catch (error) {
      const info = error instanceof CommandError ? error.info : { code: 'internal', message: String(error) };
      return { ok: false, error: info };
    } finally {
      running.delete(id);
    }
  });

  ipcMain.on(IPC.cancel, (event, raw: unknown) => {
    if (!fromOurWindow(event)) return;
    const request = CancelRequest.safeParse(raw);
    if (request.success) running.get(request.data.id)?.abort();
  });

  ipcMain.handle(IPC.pickModelFile, async (event) => {
    if (!fromOurWindow(event)) throw new Error('Refused: IPC from an unknown sender.');
    const picked = await dialog.showOpenDialog(window, {
      title: 'Open a model',
      properties: ['openFile'],
      filters: [
        { name: 'Models (ONNX, TFLite)', extensions: ['onnx', 'tflite', 'ort'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  });

  ipcMain.handle(IPC.pickFolder, async (event, title: unknown) => {
    if (!fromOurWindow(event)) throw new Error('Refused: IPC from an unknown sender.');
    const picked = await dialog.showOpenDialog(window, {
      title: typeof title === 'string' && title.length <= 200 ? title : 'Choose a folder',
      properties: ['openDirectory'],
    });
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  });

  window.on('closed', () => {
    for (const controller of running.values()) controller.abort();
    ipcMain.removeHandler(IPC.invoke);
    ipcMain.removeHandler(IPC.pickModelFile);
    ipcMain.removeHandler(IPC.pickFolder);
    ipcMain.removeAllListeners(IPC.cancel);
  });
}
