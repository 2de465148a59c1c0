const KEY = 'lithe.accessToken';

/**
 * The web host's access token for this tab. The host sends the browser to `/#token=…` after the
 * first visit; the token is taken from there (and removed from the address bar), kept for this tab
 * only, and presented when the page opens its WebSocket. It is never stored in a cookie, so no other
 * server on this machine can receive it.
 */
export function pageToken(location: Location, storage: Storage, history: History): string | null {
  const match = /^#token=([^&]+)$/.exec(location.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    storage.setItem(KEY, token);
    history.replaceState(null, '', location.pathname + location.search);
    return token;
  }
  return storage.getItem(KEY);
}
