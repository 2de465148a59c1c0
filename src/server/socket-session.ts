import type { WebSocket } from 'ws';
import { ClientMessage, CommandError, type ServerMessage } from '../contract';
import type { EngineService } from '../engine/service';

/** Largest message a page may send (the frame limit of the web host's WebSocket server is the same). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Requests one page may have running at once; more are answered `busy` (the UI needs a handful). */
export const MAX_RUNNING_PER_SOCKET = 32;

/** Speaks the contract over one WebSocket: requests in, progress and replies out, cancels honoured. */
export function attachSocketSession(socket: WebSocket, service: EngineService): void {
  const running = new Map<string, AbortController>();
  const send = (message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  // Frames over the size limit, invalid UTF-8 and protocol violations: `ws` closes the socket with the
  // matching code (1009, 1007, 1002) and reports the reason here; nothing else is to be done.
  socket.on('error', () => undefined);

  socket.on('message', (data, isBinary) => {
    const text = isBinary ? null : data.toString();
    if (text === null || text.length > MAX_MESSAGE_BYTES) return socket.close(1003, 'Unsupported message.');
    let parsed;
    try {
      parsed = ClientMessage.safeParse(JSON.parse(text));
    } catch {
      return socket.close(1007, 'Invalid JSON.');
    }
    if (!parsed.success) return socket.close(1008, 'Invalid message.');
    const message = parsed.data;
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    if (running.has(message.id)) return;
    if (running.size >= MAX_RUNNING_PER_SOCKET) {
      const info = { code: 'busy', message: `Lithe is already running ${running.size} requests for this page; wait for one to finish.` };
      return send({ type: 'reply', id: message.id, ok: false, error: info });
    }
    const controller = new AbortController();
    running.set(message.id, controller);
    service
      .invoke(message.command, message.args, {
        signal: controller.signal,
        onProgress: (progress) => send({ type: 'progress', id: message.id, progress }),
      })
      .then(
        (result) => send({ type: 'reply', id: message.id, ok: true, result }),
        (error: unknown) => {
          const info = error instanceof CommandError ? error.info : { code: 'internal', message: String(error) };
          send({ type: 'reply', id: message.id, ok: false, error: info });
        },
      )
      .catch(() => socket.terminate())
      .finally(() => running.delete(message.id));
  });

  socket.on('close', () => {
    for (const controller of running.values()) controller.abort();
    running.clear();
  });
}
