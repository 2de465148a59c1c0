// Hostile inputs for the web host: raw HTTP, WebSocket upgrades, cookies, frames and messages.
// Each case is plain bytes written to a fresh TCP connection (after an authenticated upgrade for
// frame and message cases), chosen by a seeded generator so a failing case can be replayed.

import { seededRandom } from '../../src/engine/util/seeded-random';

/** What a case needs to know about the server it attacks. */
export interface Target {
  port: number;
  token: string;
}

/** One hostile input: `upgrade` first performs a valid WebSocket handshake, then sends `bytes`. */
export interface FuzzCase {
  name: string;
  upgrade: boolean;
  bytes: Buffer;
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};
/** One of `variants`, named `prefix-<index>` so a failure says which. */
function oneOf<T>(random: Random, prefix: string, variants: ReadonlyArray<() => T>): { name: string; make: () => T } {
  const index = Math.floor(random() * variants.length);
  const make = variants[index];
  if (!make) throw new Error('oneOf needs variants');
  return { name: `${prefix}-${index}`, make };
}
const bytesOf = (random: Random, length: number): Buffer => Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));

/** The handshake request of a WebSocket upgrade, with the parts a case wants to change. */
export function upgradeRequest(
  target: Target,
  parts: { path?: string; host?: string; origin?: string | null; cookie?: string; extra?: string } = {},
): string {
  const path = parts.path ?? `/api?token=${target.token}`;
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${parts.host ?? `127.0.0.1:${target.port}`}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  ];
  const origin = parts.origin === undefined ? `http://127.0.0.1:${target.port}` : parts.origin;
  if (origin !== null) lines.push(`Origin: ${origin}`);
  if (parts.cookie !== undefined) lines.push(`Cookie: ${parts.cookie}`);
  if (parts.extra) lines.push(parts.extra);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A WebSocket frame as a client sends it (masked unless told otherwise), with every field open to abuse. */
export function frame(
  opcode: number,
  payload: Buffer,
  options: { fin?: boolean; rsv?: number; mask?: boolean; declaredLength?: bigint } = {},
): Buffer {
  const fin = options.fin ?? true;
  const mask = options.mask ?? true;
  const length = options.declaredLength ?? BigInt(payload.length);
  const head = [(fin ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | (opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 65536n) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(Number(length));
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(length & 0xffffffffffffffffn);
  }
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = mask ? Buffer.from(payload.map((byte, i) => byte ^ (key[i % 4] ?? 0))) : payload;
  return Buffer.concat([Buffer.from(head), extended, mask ? key : Buffer.alloc(0), body]);
}

const text = (value: string): Buffer => frame(1, Buffer.from(value, 'utf8'));
const request = (id: string, command: string, args: unknown): Buffer => text(JSON.stringify({ type: 'request', id, command, args }));

/** Paths a page must never reach through the API (outside the home folder and Lithe's folders, or hidden). */
const FORBIDDEN_PATHS = [
  '/etc/shadow',
  '/etc/passwd',
  '/proc/self/environ',
  '/proc/self/mem',
  '/dev/zero',
  '/root/.ssh/id_rsa',
  '/',
  '../../../../etc/passwd',
];

function rawHttpCase(random: Random, target: Target): FuzzCase {
  const variants: Array<() => Buffer> = [
    () => bytesOf(random, 1 + Math.floor(random() * 2048)),
    () => Buffer.from(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\n\r\n`),
    () => Buffer.from(`GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nCookie: lithe_${target.port}=%E0%A4%A\r\n\r\n`),
    () => Buffer.from(`GET /?token=${'%'.repeat(1 + Math.floor(random() * 50))} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\n\r\n`),
    () => Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nX-Long: ${'a'.repeat(100_000)}\r\n\r\n`),
    () => Buffer.from(`POST /?token=${target.token} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nContent-Length: 99999999\r\n\r\nabc`),
    () => Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`),
    () => Buffer.from(`GET /\0 HTTP/1.1\r\nHost: \0\r\n\r\n`),
    () => Buffer.from(`GET / HTTP/9.9\r\n\r\n`),
    () => Buffer.from(`GET /?token=${target.token} HTTP/1.1\r\nHost: evil.example\r\n\r\n`),
    () => Buffer.from(`GET /..%2f..%2f..%2fetc%2fpasswd?token=${target.token} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\n\r\n`),
    () => Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\n${'Cookie: a=b\r\n'.repeat(3000)}\r\n`),
  ];
  const chosen = oneOf(random, 'raw-http', variants);
  return { name: chosen.name, upgrade: false, bytes: chosen.make() };
}

function upgradeCase(random: Random, target: Target): FuzzCase {
  const port = target.port;
  const variants: Array<() => string> = [
    () => upgradeRequest(target, { path: '//[' }),
    () => upgradeRequest(target, { path: '/api?token=%' }),
    () => upgradeRequest(target, { path: `/api?token=${target.token}%00` }),
    () => upgradeRequest(target, { path: '/api', cookie: `lithe_token=%E0%A4%A` }),
    () => upgradeRequest(target, { path: '/api', cookie: `lithe_${port}=%E0%A4%A; lithe_token=${target.token}` }),
    () => upgradeRequest(target, { path: '/api', cookie: `lithe_${port}=${target.token}` }),
    () => upgradeRequest(target, { path: '/api', cookie: ';'.repeat(10_000) }),
    () =>
      upgradeRequest(target, {
        path: '/api',
        cookie: bytesOf(random, 200)
          .toString('latin1')
          .replace(/[\r\n]/g, ''),
      }),
    () => upgradeRequest(target, { origin: 'http://evil.example' }),
    () => upgradeRequest(target, { origin: null }),
    () => upgradeRequest(target, { origin: 'null' }),
    () => upgradeRequest(target, { host: 'evil.example' }),
    () => upgradeRequest(target, { host: `127.0.0.1:${port}`, path: `/other?token=${target.token}` }),
    () => upgradeRequest(target, { extra: 'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99' }),
    () => upgradeRequest(target, { extra: 'Sec-WebSocket-Protocol: ,,,;;;' }),
    () => upgradeRequest(target).replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 99'),
    () => upgradeRequest(target).replace('dGhlIHNhbXBsZSBub25jZQ==', '!!!'),
    () => upgradeRequest(target, { path: `/api?token=${'A'.repeat(1 + Math.floor(random() * 5000))}` }),
    () => upgradeRequest(target, { path: `/api?token=${encodeURIComponent(bytesOf(random, 40).toString('latin1'))}` }),
    () => upgradeRequest(target).slice(0, Math.floor(random() * 120)),
  ];
  const chosen = oneOf(random, 'upgrade', variants);
  return { name: chosen.name, upgrade: false, bytes: Buffer.from(chosen.make(), 'latin1') };
}

function frameCase(random: Random): FuzzCase {
  const variants: Array<() => Buffer> = [
    () => bytesOf(random, 1 + Math.floor(random() * 4096)),
    () => frame(1, Buffer.alloc(0), { declaredLength: 2n ** 63n - 1n }),
    () => frame(1, Buffer.alloc(0), { declaredLength: 1024n * 1024n + 1n }),
    () => frame(1, Buffer.alloc(1024 * 1024 + 1 + Math.floor(random() * 4096), 0x61)),
    () => frame(1, Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc])),
    () => frame(1, Buffer.from([0xed, 0xa0, 0x80])),
    () => frame(3 + Math.floor(random() * 5), bytesOf(random, 20)),
    () => frame(0xb + Math.floor(random() * 5), bytesOf(random, 20)),
    () => frame(1, Buffer.from('{"type":"request"}'), { rsv: 1 + Math.floor(random() * 7) }),
    () => frame(1, Buffer.from('{"type":"request"}'), { mask: false }),
    () => frame(2, bytesOf(random, 100)),
    () => frame(9, bytesOf(random, 126)),
    () => frame(8, Buffer.from([0x03, 0xe7])),
    () => frame(8, Buffer.from([0x0b, 0xb8, 0xff, 0xfe])),
    () => Buffer.concat([frame(1, Buffer.from('{"ty'), { fin: false }), frame(9, Buffer.alloc(0)), frame(1, Buffer.from('pe"'))]),
    () => Buffer.concat([frame(0, Buffer.from('continuation with nothing before'))]),
    () => Buffer.concat(Array.from({ length: 200 }, () => frame(1, Buffer.from('x'), { fin: false }))),
    () => frame(1, Buffer.alloc(200_000, 0x20), { fin: false }),
  ];
  const chosen = oneOf(random, 'frame', variants);
  return { name: chosen.name, upgrade: true, bytes: chosen.make() };
}

function messageCase(random: Random): FuzzCase {
  const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
  const variants: Array<() => Buffer> = [
    () => text(bytesOf(random, 300).toString('base64')),
    () => text('{"type":"request","id":"1","command":"app.info","args":'),
    () => text(deep(100_000)),
    () => text(`{"type":"request","id":"d","command":"file.identify","args":${deep(50_000)}}`),
    () => text(JSON.stringify({ type: 'request', id: 'x'.repeat(10_000), command: 'app.info', args: {} })),
    () => text(JSON.stringify({ type: 'request', id: '', command: 'app.info', args: {} })),
    () => text(JSON.stringify({ type: 'reply', id: '1', ok: true, result: {} })),
    () => text(JSON.stringify({ type: 'cancel', id: 'never-started' })),
    () => text('{"type":"request","id":"p","command":"app.info","args":{"__proto__":{"polluted":true}}}'),
    () => text('{"type":"request","id":"c","command":"constructor","args":{}}'),
    () => text('{"type":"request","id":"t","command":"toString","args":{}}'),
    () => request('u', 'no.such.command', {}),
    () => request('i', 'file.identify', { path: pick(random, FORBIDDEN_PATHS) }),
    () => request('m', 'model.inspect', { path: pick(random, FORBIDDEN_PATHS) }),
    () => request('r', 'optimize.run', { model: '/etc/passwd', recipe: pick(random, FORBIDDEN_PATHS) }),
    () => request('o', 'optimize.run', { model: '/etc/passwd', outDir: '/tmp/lithe-fuzz-must-not-exist' }),
    () => request('b', 'batch.run', { inputDir: '/etc', outDir: '/tmp/lithe-fuzz-must-not-exist' }),
    () => request('n', 'bench.run', { models: Array.from({ length: 64 }, () => pick(random, FORBIDDEN_PATHS)) }),
    () => request('a', 'file.identify', { path: 'x'.repeat(5000) }),
    () => request('z', 'devices.save', { profile: { id: '../../../etc/x', name: 'x' } }),
    () => Buffer.concat(Array.from({ length: 100 }, (_, i) => request(`flood-${i}`, 'app.info', {}))),
    () => Buffer.concat(Array.from({ length: 40 }, (_, i) => request(`same`, 'recipes.list', { i }))),
    () => Buffer.concat([request('k', 'runs.list', {}), text(JSON.stringify({ type: 'cancel', id: 'k' }))]),
    () => text(JSON.stringify({ type: 'request', id: 'big', command: 'app.info', args: { a: 'x'.repeat(1024 * 1000) } })),
  ];
  const chosen = oneOf(random, 'message', variants);
  return { name: chosen.name, upgrade: true, bytes: chosen.make() };
}

/** `count` cases of every kind, in a seeded order. */
export function fuzzCases(count: number, seed: number, target: Target): FuzzCase[] {
  const random = seededRandom(seed);
  const makers = [rawHttpCase, upgradeCase, (r: Random) => frameCase(r), (r: Random) => messageCase(r)];
  return Array.from({ length: count }, (_, i) => {
    const make = makers[i % makers.length] ?? rawHttpCase;
    return make(random, target);
  });
}
