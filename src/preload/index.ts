import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { CommandArgs, CommandName, CommandResult, InvokeOptions, LitheApi, Progress } from '../contract';
import { CommandError } from '../contract/api';
import { IPC } from '../main/ipc-channels';

// Exposes the contract as `window.lithe`; the page never sees ipcRenderer itself.

type Reply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; file?: string } };

const listeners = new Map<string, (progress: Progress) => void>();
ipcRenderer.on(IPC.progress, (_event, message: { id: string; progress: Progress }) => listeners.get(message.id)?.(message.progress));

let nextId = 0;

const api: LitheApi = {
  host: 'electron',
  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>, options: InvokeOptions = {}): Promise<CommandResult<C>> {
    const id = `ipc-${++nextId}`;
    if (options.onProgress) listeners.set(id, options.onProgress);
    const onAbort = (): void => ipcRenderer.send(IPC.cancel, { id });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = (await ipcRenderer.invoke(IPC.invoke, { id, command, args })) as Reply;
      if (!reply.ok) throw new CommandError(reply.error);
      return reply.result as CommandResult<C>;
    } finally {
      listeners.delete(id);
      options.signal?.removeEventListener('abort', onAbort);
    }
  },
  pickModelFile: () => ipcRenderer.invoke(IPC.pickModelFile) as Promise<string | null>,
  pathForFile: (file: File) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('lithe', api);
