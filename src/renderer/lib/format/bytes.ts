const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];
const exact = new Intl.NumberFormat('en-US');

/** A size people read at a glance: "579 KB", "4.7 MB" (1 KB = 1000 bytes, as file managers show). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** The exact size with thousands separators: "579,232 bytes". */
export function formatExactBytes(bytes: number): string {
  return `${exact.format(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** Memory as device makers state it (1 GB = 1024³ bytes): "4 GB", "512 KB". */
export function formatMemory(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GB'],
    [1024 ** 2, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units) if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} bytes`;
}
