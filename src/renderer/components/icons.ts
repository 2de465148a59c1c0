/** Stroke icons drawn on a 24×24 grid (one SVG path each). */
export const ICONS = {
  open: 'M3 8V6a2 2 0 0 1 2-2h4l2 2h7a2 2 0 0 1 2 2v1 M3 8v10a2 2 0 0 0 2 2h12.5a2 2 0 0 0 1.9-1.4L21.8 11a1.5 1.5 0 0 0-1.4-2H7.4a2 2 0 0 0-1.9 1.4L3 18',
  model: 'M12 3 3 8l9 5 9-5-9-5z M3 12.5l9 5 9-5 M3 17l9 5 9-5',
  graph: 'M6 3h4v4H6z M14 10h4v4h-4z M6 17h4v4H6z M8 7v10 M10 5h2a2 2 0 0 1 2 2v3 M10 19h2a2 2 0 0 0 2-2v-3',
  optimize: 'M13 2 4 14h7l-1 8 9-12h-7l1-8z',
  search: 'M10.5 4a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13z M15.2 15.2 20 20',
  benchmark: 'M4 19a8 8 0 1 1 16 0 M12 19l4-6 M12 7v1 M7 10l.7.7 M17 10l-.7.7',
  devices: 'M7 7h10v10H7z M10 10h4v4h-4z M9 3v4 M15 3v4 M9 17v4 M15 17v4 M3 9h4 M3 15h4 M17 9h4 M17 15h4',
  batch: 'M9 3h8l4 4v10a1 1 0 0 1-1 1H9a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1z M17 3v4h4 M4 7v13a1 1 0 0 0 1 1h11',
  runs: 'M12 7v5l3 2 M3.5 12a8.5 8.5 0 1 0 2.5-6 M3 3v4h4',
  copy: 'M9 9h10a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H9a1 1 0 0 1-1-1V10a1 1 0 0 1 1-1z M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  file: 'M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1z M14 3v5h5',
  alert: 'M12 3.5 2.5 20h19L12 3.5z M12 10v4.5 M12 17.2v.1',
  info: 'M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18z M12 11v5.5 M12 7.8v.1',
  close: 'M6 6l12 12 M18 6 6 18',
  drop: 'M12 15V4 M7.5 8.5 12 4l4.5 4.5 M4 15v3.5A1.5 1.5 0 0 0 5.5 20h13a1.5 1.5 0 0 0 1.5-1.5V15',
  unplugged: 'M9 2v5 M15 2v5 M6 7h12v3.5a6 6 0 0 1-12 0V7z M12 16.5V22 M3 3l18 18',
  lock: 'M6 11h12v10H6z M8.5 11V8a3.5 3.5 0 0 1 7 0v3',
  clock: 'M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18z M12 7.5V12l3 2',
} as const;

/** The name of an icon in {@link ICONS}. */
export type IconName = keyof typeof ICONS;
