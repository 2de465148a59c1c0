import type { Duplex } from 'node:stream';

/**
 * Answers a connection the HTTP parser gave up on, then closes it. A connection that sent no request
 * in time (a browser's pre-opened, still unused one) gets 408, which browsers retry on a fresh
 * connection; a 400 there would be read as the answer to the request they send on it next.
 * Anything else the parser refused gets 400.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  socket.destroy();
}
