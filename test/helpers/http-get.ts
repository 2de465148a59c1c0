import { request } from 'node:http';

/** A plain GET to 127.0.0.1:`port` with `headers`: status, headers and body as text. */
export function httpGet(port: number, path: string, headers: Record<string, string> = {}): ReturnType<typeof httpRequest> {
  return httpRequest(port, 'GET', path, headers);
}

/** A request without a body to 127.0.0.1:`port`: status, headers and body as text. */
export function httpRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
