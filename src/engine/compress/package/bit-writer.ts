/** Packs raw bits, least significant first (the extra bits of long runs). */
export class BitWriter {
  readonly #bytes: number[] = [];
  #current = 0;
  #bit = 0;

  write(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      if (Math.floor(value / 2 ** i) % 2 === 1) this.#current |= 1 << this.#bit;
      if (++this.#bit === 8) {
        this.#bytes.push(this.#current);
        this.#current = 0;
        this.#bit = 0;
      }
    }
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#bit > 0 ? [...this.#bytes, this.#current] : this.#bytes);
  }
}
