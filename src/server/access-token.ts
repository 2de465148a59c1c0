import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the cookie that carries the access token after the first visit. */
export const TOKEN_COOKIE = 'lithe_token';

/** A fresh random token for one launch of the web host. */
export function newAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

/** True when `candidate` equals `token`, compared in constant time. */
export function tokenMatches(token: string, candidate: string | null | undefined): boolean {
  if (!candidate) return false;
  const a = Buffer.from(token);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request presents: `?token=` in the URL, else the cookie. */
export function presentedToken(request: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}
