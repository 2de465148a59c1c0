import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// Two secrets per launch, so that what a browser sends to every port of 127.0.0.1 opens nothing:
//
//   token   printed in the URL; the page keeps it (sessionStorage) and presents it on the WebSocket.
//           The API accepts nothing else. It never travels in a cookie.
//   cookie  `lithe_<port>=<HMAC(token, "page", port)>`, HttpOnly, SameSite=Strict: lets the browser load
//           the UI's files after the first visit. Browsers send cookies to every port of a host, so this
//           one reaches other servers on 127.0.0.1 — and there it is worth nothing: it is not the token,
//           the token cannot be derived from it, and the API refuses it.

/** A fresh random token for one launch of the web host. */
export function newAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Name of the page cookie of the web host on `port`: each instance has its own. */
export function cookieName(port: number): string {
  return `lithe_${port}`;
}

/** The page cookie's value for this launch: derived from the token and bound to the port. */
export function cookieValue(token: string, port: number): string {
  return createHmac('sha256', token).update(`page:${port}`).digest('base64url');
}

/** The `Set-Cookie` header that lets this browser load the UI of the web host on `port`. */
export function pageCookieHeader(token: string, port: number): string {
  return `${cookieName(port)}=${cookieValue(token, port)}; HttpOnly; SameSite=Strict; Path=/`;
}

/** True when `candidate` equals `secret`, compared in constant time. */
export function secretMatches(secret: string, candidate: string | null | undefined): boolean {
  if (!candidate) return false;
  const a = Buffer.from(secret);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request presents in its URL (`?token=`), or null. */
export function tokenInUrl(url: URL): string | null {
  return url.searchParams.get('token');
}

/** The value of cookie `name` in the request, or null; malformed cookie headers yield null, never an exception. */
export function cookieIn(request: IncomingMessage, name: string): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string' || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals < 0 || part.slice(0, equals).trim() !== name) continue;
    // Our own values are base64url: nothing to decode; anything else simply does not match.
    return part.slice(equals + 1).trim();
  }
  return null;
}
