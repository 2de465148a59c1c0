#!/usr/bin/env node
// After `electron-vite build`: the bundled engine (what the packaged app runs) loads, starts its
// workers from the flat entries in out/main, and optimizes real ONNX and TFLite models.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { tasks } = await import(join(root, 'out', 'main', 'tasks.js'));
const models = join(root, 'node_modules');
const onnx = join(models, '@gutenye', 'ocr-models', 'assets', 'ch_ppocr_mobile_v2.0_cls_infer.onnx');
const tflite = join(models, '@mediapipe', 'face_detection', 'face_detection_short_range.tflite');
const dir = mkdtempSync(join(tmpdir(), 'lithe-built-'));
try {
  const facts = await tasks.identify({ path: onnx }, {});
  if (facts.format !== 'onnx') throw new Error(`identify: expected onnx, got ${facts.format}`);
  for (const [model, name] of [
    [onnx, 'onnx'],
    [tflite, 'tflite'],
  ]) {
    const report = await tasks.optimize({ model, outDir: join(dir, name), recipe: 'graph' }, {});
    if (report.verification.status !== 'passed') throw new Error(`optimize ${name}: verification ${report.verification.status}`);
    console.log(`built engine: ${name} optimized, ${report.input.nodeCount} → ${report.output.nodeCount} nodes, verification passed`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
