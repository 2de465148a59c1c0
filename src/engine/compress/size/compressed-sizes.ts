import { init as initZstd, compress as zstdCompress } from '@bokuweb/zstd-wasm';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Sizes of a file after general-purpose compressors, with the settings used. */
export interface CompressedSizes {
  gzipBytes: number;
  brotliBytes: number;
  zstdBytes: number;
  compressors: { gzip: string; brotli: string; zstd: string };
}

// Every optimize run measures its output (and its input, once per file: see measure-size.ts), so the
// compressors must be cheap. Measured on float weights (0.24–2.3 MB models, quiet machine): brotli 11
// costs 10–13 ms per 100 KB and gains 0.5–3 % over quality 5 (2–7 ms per 100 KB); zstd 19 costs
// ~100 ms per MB and gains under 3 % over level 3. The strongest settings are kept for files up to
// 32 KB (brotli) and 64 KB (zstd), where they cost a few tens of milliseconds; the report names the
// settings used, so a reader knows when the strongest levels were skipped.
const STRONGEST_UP_TO = { brotli: 1 << 15, zstd: 1 << 16 };
const FAST = { brotli: 5, zstd: 3 };

let zstdReady: Promise<void> | undefined;

/** Compresses `bytes` with gzip -9 and brotli (node:zlib) and zstd (WebAssembly build of the reference library). */
export async function compressedSizes(bytes: Uint8Array): Promise<CompressedSizes> {
  zstdReady ??= initZstd();
  await zstdReady;
  const quality = bytes.length <= STRONGEST_UP_TO.brotli ? 11 : FAST.brotli;
  const level = bytes.length <= STRONGEST_UP_TO.zstd ? 19 : FAST.zstd;
  const brotli = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  const skipped = (strongest: string, limit: number): string => `; ${strongest} only up to ${limit / 1024} KB`;
  return {
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    brotliBytes: brotli.length,
    zstdBytes: zstdCompress(bytes, level).length,
    compressors: {
      gzip: 'gzip -9 (node:zlib)',
      brotli: `brotli quality ${quality}, window 2^24 (node:zlib${quality === 11 ? '' : skipped('quality 11', STRONGEST_UP_TO.brotli)})`,
      zstd: `zstd -${level} (@bokuweb/zstd-wasm${level === 19 ? '' : skipped('-19', STRONGEST_UP_TO.zstd)})`,
    },
  };
}
