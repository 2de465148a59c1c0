/** Downloads a run's file, or opens a report in a new tab. */
export type RunFileOpener = (path: string, use: 'download' | 'view') => Promise<void>;

/**
 * Opens run files from the web host that served this page: asks for a ticket for the one file with
 * the page's token (in a header, never in a URL), then follows the ticket's link. The link opens
 * only that file, for a minute, so the token never reaches a tab's address, history or downloads list.
 */
export function runFileOpener(token: string | null): RunFileOpener {
  return async (path, use) => {
    const response = await fetch(`/files/ticket?use=${use}&path=${encodeURIComponent(path)}`, {
      method: 'POST',
      headers: token === null ? {} : { 'x-lithe-token': token },
    });
    const body = await response.text();
    if (!response.ok) throw new Error(body.trim().replace(/^Lithe: /, '') || `Lithe could not open the file (HTTP ${response.status}).`);
    const { url } = JSON.parse(body) as { url: string };
    if (use === 'view') {
      window.open(url, '_blank', 'noopener,noreferrer');
      return;
    }
    const link = document.createElement('a');
    link.href = url;
    link.download = '';
    document.body.append(link);
    link.click();
    link.remove();
  };
}
