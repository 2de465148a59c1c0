import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePackage } from '../../../src/engine/compress/decoder';
import { compareSizes, measureSize } from '../../../src/engine/compress/size/measure-size';
import { compressedSizes } from '../../../src/engine/compress/size/compressed-sizes';
import { optimizeModel } from '../../../src/engine/optimize/optimize-model';
import { FACE_FULL_SPARSE_TFLITE } from '../../fixtures/real-models';
import { packableOnnx } from './package-fixtures';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('size report', () => {
  it('measures a pruned and clustered model every way and says that its zeros still take memory', async () => {
    const bytes = packableOnnx();
    const { report, package: pkg } = await measureSize(bytes, 'onnx');
    expect(report.fileBytes).toBe(bytes.length);
    for (const n of [report.gzipBytes, report.brotliBytes, report.zstdBytes]) expect(n).toBeGreaterThan(0);
    expect(report.compressors.zstd).toMatch(/^zstd -19/);
    expect(report.litheBytes).toBe(pkg?.length);
    expect(report.litheBytes).toBeLessThan(report.fileBytes / 3);
    expect(Buffer.from(decodePackage(pkg as Uint8Array).model).equals(Buffer.from(bytes))).toBe(true);
    expect(report.weights.bytes + report.otherBytes).toBe(bytes.length);
    expect(report.weights.entropyBytes).toBeLessThan(report.weights.bytes / 4);
    // Dense zeros: the runtime holds every weight, zero or not.
    expect(report.ram.weightBytes).toBe(report.weights.bytes);
    expect(report.ram.note).toMatch(/zeros, stored in dense tensors.*as much memory/);
    expect(report.ram.peakActivationBytes).toBeGreaterThan(0);
    const w1 = report.tensors.find((t) => t.name === 'w1');
    expect(w1).toMatchObject({ elements: 2048, distinct: 17 });
    expect(w1?.zeros).toBeGreaterThan(1700);
  });

  it('measures an input once per content and reuses it for an unchanged output', async () => {
    const bytes = packableOnnx();
    const input = { bytes, format: 'onnx' as const, file: 'm.onnx', name: 'm.onnx' };
    const first = await compareSizes(input, { bytes, format: 'onnx', name: 'out.onnx', wantPackage: false });
    expect(first.output).toBe(first.input);
    expect(first.outputPackage).toBeUndefined();
    const again = await compareSizes({ ...input, bytes: bytes.slice() }, { bytes, format: 'onnx', name: 'out.onnx', wantPackage: true });
    expect(again.input).toBe(first.input);
    expect(again.output).not.toBe(first.input);
    expect(again.output.litheBytes).toBe(again.outputPackage?.length);
  });

  it('uses fast compressor levels above a few tens of KB and says so', async () => {
    const large = new Uint8Array(100_000).map((_, i) => (i * 7919) % 251);
    const { compressors } = await compressedSizes(large);
    expect(compressors.brotli).toMatch(/^brotli quality 5,.*quality 11 only up to 32 KB/);
    expect(compressors.zstd).toMatch(/^zstd -3 .*-19 only up to 64 KB/);
    expect((await compressedSizes(large.subarray(0, 20_000))).compressors.brotli).toMatch(
      /^brotli quality 11, window 2\^24 \(node:zlib\)$/,
    );
  });

  it('counts the dense copies TFLite makes of sparse weights', { timeout: 120_000 }, async () => {
    const bytes = new Uint8Array(readFileSync(FACE_FULL_SPARSE_TFLITE));
    const { report } = await measureSize(bytes, 'tflite');
    expect(report.ram.sparseTensors).toBeGreaterThan(0);
    expect(report.ram.weightBytes).toBeGreaterThan(report.weights.bytes);
    expect(report.ram.note).toMatch(/stored sparse/);
  });

  it('puts both sides in the optimize report and writes the package when the recipe asks', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lithe-size-'));
    dirs.push(dir);
    const model = join(dir, 'm.onnx');
    await writeFile(model, packableOnnx());
    const report = await optimizeModel({ model, outDir: join(dir, 'run'), recipe: { name: 'keep', steps: [], package: true } });
    expect(report.size?.input.fileBytes).toBe(report.input.sizeBytes);
    expect(report.size?.output.litheBytes).toBeGreaterThan(0);
    const pkg = await readFile(report.size?.package as string);
    expect(Buffer.from(decodePackage(pkg).model).equals(await readFile(report.output.path))).toBe(true);
    expect(await readFile(join(dir, 'run', 'report.html'), 'utf8')).toContain('Weights per layer');
  });
});
