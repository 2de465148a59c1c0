/** The tokened URL of the `lithe serve` started by global setup. */
export function litheUrl(): URL {
  const url = process.env.LITHE_E2E_URL;
  if (!url) throw new Error('LITHE_E2E_URL is not set: run the e2e tests through playwright.config.ts (global setup starts Lithe).');
  return new URL(url);
}
