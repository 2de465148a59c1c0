/** Colours a chart takes from the design tokens, so it reads well in light and dark themes. */
export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  series: readonly string[];
}

/** Reads the current theme's chart colours from the CSS custom properties. */
export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const token = (name: string): string => style.getPropertyValue(name).trim();
  return {
    text: token('--text'),
    muted: token('--text-muted'),
    grid: token('--border'),
    surface: token('--surface'),
    series: [token('--chart-1'), token('--chart-2'), token('--chart-3')],
  };
}

/** Calls `listener` when the system switches between light and dark; returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
