import type { SizeReport, TensorSize } from '../../../contract/size';
import { escapeHtml } from '../../optimize/html-escape';

const kb = (bytes: number | undefined): string =>
  bytes === undefined ? '—' : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} KB`;

/** Bits one weight takes: in the package and at its order-0 entropy. */
function bitsPerWeight(t: TensorSize, bytes: number): string {
  return ((8 * bytes) / Math.max(1, t.elements)).toFixed(2);
}

/** The per-layer table of Deep Compression's kind: weights kept, distinct values, bits per weight. */
export function layerRows(size: SizeReport, limit = 40): TensorSize[] {
  return [...size.tensors]
    .filter((t) => t.elements >= 64)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, limit);
}

/** The size section of report.html: both sides through every compressor, memory at run time, per-layer table. */
export function renderSizeHtml(size: { input: SizeReport; output: SizeReport; package?: string }): string {
  const { input: a, output: b } = size;
  const row = (label: string, x: number | undefined, y: number | undefined, note = ''): string =>
    `<tr><td>${escapeHtml(label)}${note ? `<div class="muted">${escapeHtml(note)}</div>` : ''}</td><td>${kb(x)}</td><td>${kb(y)}</td>` +
    `<td>${x && y ? `${(x / y).toFixed(2)}×` : '—'}</td></tr>`;
  const bound = (s: SizeReport): number => s.otherBytes + s.weights.entropyBytes;
  const layers = layerRows(b)
    .map((t) => {
      const kept = t.elements - t.zeros;
      const values = t.distinct === undefined ? 'many' : String(t.distinct - (t.zeros > 0 ? 1 : 0));
      return (
        `<tr><td>${escapeHtml(t.name)}<div class="muted">${escapeHtml(t.dtype)}[${t.dims.join(',')}]</div></td><td>${t.elements.toLocaleString('en-US')}</td>` +
        `<td>${((100 * kept) / t.elements).toFixed(1)} %</td><td>${values}</td><td>${bitsPerWeight(t, t.entropyBytes)}</td>` +
        `<td>${bitsPerWeight(t, t.packageBytes)}</td><td>${escapeHtml(t.coding)}</td></tr>`
      );
    })
    .join('\n');
  return `<h2>Size</h2>
<table><thead><tr><th></th><th>Original</th><th>Optimized</th><th>Ratio</th></tr></thead><tbody>
${row('Model file', a.fileBytes, b.fileBytes)}
${row(a.compressors.gzip, a.gzipBytes, b.gzipBytes)}
${row(a.compressors.brotli, a.brotliBytes, b.brotliBytes, b.compressors.brotli !== a.compressors.brotli ? `optimized: ${b.compressors.brotli}` : '')}
${row(a.compressors.zstd, a.zstdBytes, b.zstdBytes, b.compressors.zstd !== a.compressors.zstd ? `optimized: ${b.compressors.zstd}` : '')}
${row('.lithe package (lossless: unpacks to the identical file)', a.litheBytes, b.litheBytes, size.package ? `written: ${size.package}` : (b.litheUnavailable ?? ''))}
${row('Entropy of the weights (order 0) + rest of the file', bound(a), bound(b), 'what a coder of independent weight values cannot beat on average')}
${row('Memory at run time: weights', a.ram.weightBytes, b.ram.weightBytes)}
${row('Memory at run time: largest activations (estimate)', a.ram.peakActivationBytes, b.ram.peakActivationBytes)}
</tbody></table>
<p class="muted">${escapeHtml(b.ram.note)}</p>
${
  layers
    ? `<h3>Weights per layer (optimized model)</h3>
<table><thead><tr><th>Tensor</th><th>Weights</th><th>Kept (non-zero)</th><th>Distinct values</th><th>Entropy bits / weight</th><th>Package bits / weight</th><th>Coding</th></tr></thead><tbody>
${layers}
</tbody></table>`
    : ''
}`;
}
