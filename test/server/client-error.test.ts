import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answerClientError } from '../../src/server/client-error';

function answer(code: string): string {
  const socket = new PassThrough();
  let written = '';
  socket.on('data', (chunk: Buffer) => (written += chunk.toString()));
  answerClientError(Object.assign(new Error(code), { code }), socket);
  return written;
}

// Node answers a connection that sent nothing within the headers timeout (a browser's pre-opened one);
// a 400 there reaches the browser as the answer to its next request ("could not open the file (HTTP 400)").
describe('answers to connections the HTTP parser gave up on', () => {
  it('says 408 to a connection that sent no request in time, which browsers retry', () => {
    expect(answer('ERR_HTTP_REQUEST_TIMEOUT')).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
  });

  it('says 400 to a request it could not read', () => {
    expect(answer('HPE_INVALID_METHOD')).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
});
