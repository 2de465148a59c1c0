// Run lengths (gaps between non-zero elements) as symbols: values below D = 2^d are symbols
// themselves; a larger value v with nb = ⌊log2 v⌋ is symbol D + nb − d followed by the nb low bits
// of v as extra bits. Short runs, the common case, cost only their entropy-coded symbol.

/** Number of run symbols for `directBits` d: D direct symbols plus one per bit length d…31. */
export function runAlphabetSize(directBits: number): number {
  return 2 ** directBits + 32 - directBits;
}

/** Splits `value` into its symbol and extra bits (`bits` of them). */
export function runSymbol(value: number, directBits: number): { symbol: number; bits: number; extra: number } {
  const direct = 2 ** directBits;
  if (value < direct) return { symbol: value, bits: 0, extra: 0 };
  const nb = Math.floor(Math.log2(value));
  const top = 2 ** nb;
  // Math.log2 can round at exact powers of two: correct nb so that top ≤ value < 2·top.
  const bits = value >= 2 * top ? nb + 1 : value < top ? nb - 1 : nb;
  return { symbol: direct + bits - directBits, bits, extra: value - 2 ** bits };
}

/** The value of run symbol `symbol` given its extra bits reader. */
export function runValue(symbol: number, directBits: number, readBits: (count: number) => number): number {
  const direct = 2 ** directBits;
  if (symbol < direct) return symbol;
  const bits = symbol - direct + directBits;
  return 2 ** bits + readBits(bits);
}
