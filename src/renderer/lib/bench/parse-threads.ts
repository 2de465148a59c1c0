/** Parses "1,2,4" into thread counts; null when it is not a list of whole numbers from 0 to 256. */
export function parseThreads(text: string): number[] | null {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const numbers = parts.map(Number);
  if (numbers.length === 0 || numbers.some((value) => !Number.isInteger(value) || value < 0 || value > 256)) return null;
  return [...new Set(numbers)];
}
