import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON safe to embed inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

let chartSource: string | undefined;

/** The Chart.js bundle, inlined into report pages so they draw their charts without any network access. */
export function chartJsSource(): string {
  const main = createRequire(import.meta.url).resolve('chart.js'); // …/chart.js/dist/chart.cjs
  chartSource ??= readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  return chartSource;
}

/** Tool versions as one escaped line: `lithe 0.1.0 · node 20.19.0 · …`. */
export function versionsLine(versions: Record<string, string>): string {
  return escapeHtml(
    Object.entries(versions)
      .map(([k, n]) => `${k} ${n}`)
      .join(' · '),
  );
}
