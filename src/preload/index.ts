import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { BridgeReply, LitheBridge } from '../contract/api';
import type { Progress } from '../contract/schemas';
import { IPC } from '../main/ipc-channels';

// Exposes plain functions as `window.litheBridge`; the page never sees ipcRenderer itself.

const listeners = new Map<string, (progress: Progress) => void>();
ipcRenderer.on(IPC.progress, (_event, message: { id: string; progress: Progress }) => listeners.get(message.id)?.(message.progress));

const bridge: LitheBridge = {
  host: 'electron',
  async invoke(id, command, args, onProgress) {
    listeners.set(id, onProgress);
    try {
      return (await ipcRenderer.invoke(IPC.invoke, { id, command, args })) as BridgeReply;
    } finally {
      listeners.delete(id);
    }
  },
  cancel: (id) => ipcRenderer.send(IPC.cancel, { id }),
  pickModelFile: () => ipcRenderer.invoke(IPC.pickModelFile) as Promise<string | null>,
  pickFolder: (title) => ipcRenderer.invoke(IPC.pickFolder, String(title)) as Promise<string | null>,
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('litheBridge', bridge);
