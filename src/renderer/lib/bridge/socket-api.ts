import {
  CommandError,
  commandSchemas,
  type CommandArgs,
  type CommandName,
  type CommandResult,
  type ErrorInfo,
  fileCommandSchemas,
  type FileCommandArgs,
  type FileCommandName,
  type FileCommandResult,
  type InvokeOptions,
  type LitheApi,
  type Progress,
} from '../../../contract';
import type { ZodType } from 'zod';
import type { Connection, ConnectionStatus } from './connection-status';
import type { CallFiles } from './renderer-api';
import { nextRequestId } from './request-ids';
import { parseServerMessage } from './server-message';

interface Pending {
  onProgress: ((progress: Progress) => void) | undefined;
  settle: (outcome: { ok: true; result: unknown } | { ok: false; error: ErrorInfo }) => void;
}

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
const LOST: ErrorInfo = { code: 'disconnected', message: 'Lost connection to Lithe before the answer arrived.' };

/**
 * The contract over a WebSocket, for the UI in a browser (`lithe serve`): requests carry ids,
 * progress and replies are matched to them, an aborted signal sends a cancel. Reconnects by itself.
 */
export function createSocketApi(url: string): { api: LitheApi; connection: Connection; callFiles: CallFiles } {
  const pending = new Map<string, Pending>();
  const listeners = new Set<(status: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'connecting';
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const setStatus = (next: ConnectionStatus): void => {
    if (next === status) return;
    status = next;
    for (const listener of listeners) listener(next);
  };

  const connect = (): void => {
    clearTimeout(retryTimer);
    setStatus(status === 'open' ? 'open' : 'connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setStatus('open');
    };
    ws.onmessage = (event: MessageEvent) => {
      const message = typeof event.data === 'string' ? parseServerMessage(event.data) : null;
      const entry = message ? pending.get(message.id) : undefined;
      if (!message || !entry) return;
      if (message.type === 'progress') return entry.onProgress?.(message.progress);
      pending.delete(message.id);
      entry.settle(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, entry] of pending) {
        pending.delete(id);
        entry.settle({ ok: false, error: LOST });
      }
      setStatus('lost');
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
      attempt += 1;
      retryTimer = setTimeout(connect, delay);
    };
  };

  const send = (data: object): boolean => {
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(data));
    return true;
  };

  const whenOpen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (status === 'open') return resolve();
      if (status === 'lost') return reject(new CommandError({ code: 'disconnected', message: 'Lithe is not connected right now.' }));
      const stop = connection.subscribe((next) => {
        if (next === 'connecting') return;
        stop();
        if (next === 'open') resolve();
        else reject(new CommandError({ code: 'disconnected', message: 'Could not connect to Lithe.' }));
      });
    });

  const connection: Connection = {
    get status() {
      return status;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    retryNow() {
      if (status === 'lost') {
        attempt = 0;
        connect();
      }
    },
  };

  /** Sends one request and settles with its reply, unchecked; an aborted signal cancels it. */
  async function request(command: string, args: unknown, options: InvokeOptions = {}): Promise<unknown> {
    const { signal, onProgress } = options;
    const cancelled = (): CommandError => new CommandError({ code: 'cancelled', message: 'Cancelled.' });
    if (signal?.aborted) throw cancelled();
    await whenOpen();
    if (signal?.aborted) throw cancelled();
    const id = nextRequestId();
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = (): void => {
        if (!pending.delete(id)) return;
        send({ type: 'cancel', id });
        reject(cancelled());
      };
      pending.set(id, {
        onProgress,
        settle: (outcome) => {
          signal?.removeEventListener('abort', onAbort);
          if (outcome.ok) resolve(outcome.result);
          else reject(new CommandError(outcome.error));
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      if (!send({ type: 'request', id, command, args })) {
        pending.delete(id);
        reject(new CommandError(LOST));
      }
    });
  }

  /** The answer checked against `schema`: a reply this window does not understand is an error, not a crash later. */
  function checked<T>(command: string, schema: ZodType<T>, result: unknown): T {
    const parsed = schema.safeParse(result);
    if (!parsed.success)
      throw new CommandError({ code: 'internal', message: `Lithe sent an answer to ${command} that this window does not understand.` });
    return parsed.data;
  }

  async function invoke<C extends CommandName>(command: C, args: CommandArgs<C>, options: InvokeOptions = {}): Promise<CommandResult<C>> {
    return checked(command, commandSchemas[command].result, await request(command, args, options));
  }

  async function callFiles<C extends FileCommandName>(command: C, args: FileCommandArgs<C>): Promise<FileCommandResult<C>> {
    return checked(command, fileCommandSchemas[command].result, await request(command, args));
  }
  connect();
  return { api: { host: 'web', invoke }, connection, callFiles };
}
