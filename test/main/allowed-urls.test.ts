import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppUrl, navigationAllowed } from '../../src/main/allowed-urls';

const RENDERER = '/opt/Lithe/resources/app.asar/out/renderer';
const file = (path: string): string => pathToFileURL(path).href;

describe('the app window’s addresses', () => {
  it('loads the renderer’s own files, DevTools and the dev server, nothing else', () => {
    expect(isAppUrl(file(`${RENDERER}/index.html`), RENDERER)).toBe(true);
    expect(isAppUrl(file(`${RENDERER}/assets/index-1.js`), RENDERER)).toBe(true);
    expect(isAppUrl('devtools://devtools/bundled/inspector.html', RENDERER)).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.ts', RENDERER, 'http://localhost:5173')).toBe(true);
    for (const url of [
      file('/etc/passwd'),
      file(`${RENDERER}/../main/index.js`),
      `file://${RENDERER}/%2e%2e/%2e%2e/secret`,
      file('/home/user/report.html'),
      'https://example.com/',
      'http://localhost:5173/',
      'data:text/html,hi',
      'file://remote-host/share/x.html',
    ])
      expect(isAppUrl(url, RENDERER), url).toBe(false);
  });

  it('counts app.asar.unpacked (where main runs once packaged) as the same folder as app.asar', () => {
    const unpacked = RENDERER.replace('app.asar', 'app.asar.unpacked');
    expect(isAppUrl(file(`${RENDERER}/index.html`), unpacked)).toBe(true);
  });

  it('lets the main frame only reload or move within its page; frames and redirects elsewhere are stopped', () => {
    const page = file(`${RENDERER}/index.html`);
    expect(navigationAllowed(page, page, true)).toBe(true);
    expect(navigationAllowed(`${page}#/runs`, page, true)).toBe(true);
    expect(navigationAllowed('https://example.com/', page, true)).toBe(false);
    expect(navigationAllowed(file('/etc/passwd'), page, true)).toBe(false);
    expect(navigationAllowed(page, page, false)).toBe(false);
    expect(navigationAllowed(page, '', true)).toBe(false);
  });
});
