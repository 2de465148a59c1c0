import type { WebSocket } from 'ws';
import { ClientMessage, CommandError, type ServerMessage } from '../contract';
import type { EngineService } from '../engine/service';

const MAX_MESSAGE_BYTES = 1024 * 1024;

/** Speaks the contract over one WebSocket: requests in, progress and replies out, cancels honoured. */
export function attachSocketSession(socket: WebSocket, service: EngineService): void {
  const running = new Map<string, AbortController>();
  const send = (message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

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
      .finally(() => running.delete(message.id));
  });

  socket.on('close', () => {
    for (const controller of running.values()) controller.abort();
    running.clear();
  });
}
