import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import { litheUrl } from './support/lithe-url';

// Browsers send cookies to every port of a host. What Chromium sends from Lithe's visit to another
// server on 127.0.0.1 must open nothing: not the API, not with a forged Origin.
test('the cookie Chromium sends to another server on 127.0.0.1 does not open Lithe’s API', async ({ page }) => {
  const lithe = litheUrl();
  await page.goto(lithe.href);
  await expect(page.getByText('Lithe 0.', { exact: false })).toBeVisible();
  await expect(page).toHaveURL(`${lithe.origin}/`); // the token left the address bar

  const seen: string[] = [];
  const other = createServer((request, response) => {
    seen.push(request.headers.cookie ?? '');
    response.end('another server');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
  } finally {
    other.close();
  }
  const leaked = seen.join('; ');
  expect(leaked).toContain(`lithe_${lithe.port}=`);
  expect(leaked).not.toContain(lithe.searchParams.get('token') ?? '-');

  const status = await new Promise<string>((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${lithe.port}/api`, { headers: { cookie: leaked, origin: lithe.origin } });
    socket.on('open', () => {
      socket.close();
      resolve('opened');
    });
    socket.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
    socket.on('error', (error) => resolve(error.message));
  });
  expect(status).toBe('401');
});
