import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY, appFileOf, isAppUrl, navigationAllowed } from '../../src/main/allowed-urls';

const RENDERER = '/opt/Lithe/resources/app.asar/out/renderer';
const file = (path: string): string => pathToFileURL(path).href;

describe('the app window’s addresses', () => {
  it('loads the renderer’s own files through app://lithe/, DevTools and the dev server, nothing else', () => {
    expect(APP_ENTRY).toBe('app://lithe/index.html');
    expect(isAppUrl(APP_ENTRY, RENDERER)).toBe(true);
    expect(isAppUrl('app://lithe/assets/index-1.js', RENDERER)).toBe(true);
    expect(isAppUrl('devtools://devtools/bundled/inspector.html', RENDERER)).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.ts', RENDERER, 'http://localhost:5173')).toBe(true);
    for (const url of [
      // Not even the renderer's own files by file://: the window has one origin, app://lithe.
      file(`${RENDERER}/index.html`),
      file('/etc/passwd'),
      'app://other/index.html',
      'app://user@lithe/index.html',
      'app://lithe/%2e%2e%2fmain%2findex.js',
      'app://lithe/..%5c..%5csecret',
      'app://lithe/%00index.html',
      'app://lithe/%E0%A4%A',
      'app://lithe/',
      'https://example.com/',
      'http://localhost:5173/',
      'data:text/html,hi',
      'file://remote-host/share/x.html',
    ])
      expect(isAppUrl(url, RENDERER), url).toBe(false);
  });

  it('maps app://lithe/ onto files inside the renderer folder', () => {
    expect(appFileOf('app://lithe/index.html', RENDERER)).toBe(`${RENDERER}/index.html`);
    expect(appFileOf('app://lithe/assets/a%20b.css?v=1#x', RENDERER)).toBe(`${RENDERER}/assets/a b.css`);
    // Dot segments, plain or encoded, are removed by the URL parser before the path is seen: they stay inside.
    expect(appFileOf('app://lithe/assets/../index.html', RENDERER)).toBe(`${RENDERER}/index.html`);
    expect(appFileOf('app://lithe/../../main/index.js', RENDERER)).toBe(`${RENDERER}/main/index.js`);
    expect(appFileOf('app://lithe/%2e%2e/%2e%2e/secret', RENDERER)).toBe(`${RENDERER}/secret`);
  });

  it('counts app.asar.unpacked (where main runs once packaged) as the same folder as app.asar', () => {
    const unpacked = RENDERER.replace('app.asar', 'app.asar.unpacked');
    expect(isAppUrl(APP_ENTRY, unpacked)).toBe(true);
    expect(appFileOf(APP_ENTRY, unpacked)).toBe(`${RENDERER}/index.html`);
  });

  it('lets the main frame only reload or move within its page; frames and redirects elsewhere are stopped', () => {
    const page = APP_ENTRY;
    expect(navigationAllowed(page, page, true)).toBe(true);
    expect(navigationAllowed(`${page}#/runs`, page, true)).toBe(true);
    expect(navigationAllowed('https://example.com/', page, true)).toBe(false);
    expect(navigationAllowed(file('/etc/passwd'), page, true)).toBe(false);
    expect(navigationAllowed(file(`${RENDERER}/index.html`), page, true)).toBe(false);
    expect(navigationAllowed(page, page, false)).toBe(false);
    expect(navigationAllowed(page, '', true)).toBe(false);
  });
});
