// Converts every model in the given folders to the other format and back, and checks each result
// in its own runtime against the original on the same seeded inputs:
//   node bin/run-ts.js scripts/check-convert.ts [--only text] <models dir> [more dirs…]
// (--only: check just the models whose path contains the text)
// One line per model: ONNX → TFLite (or TFLite → ONNX) and the round trip back to the source format.
// Float outputs match when the largest relative error is ≤ 1e-4; quantized outputs (TFLite int8/
// uint8/int16 with a scale) when they are within one quantization step. Conversions run with the
// recurrent state kept inside (the default); the original and each result start from a fresh runtime
// for every sample, so both start from the zero state. An original the runtime here refuses is checked against a
// stand-in (src/engine/formats/stand-in-reference.ts: the original with only what keeps it from loading changed),
// said on its line and counted apart.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LitheError } from '../src/engine/errors';
import { decodeOnnx, encodeOnnx } from '../src/engine/formats/onnx';
import { standInReference } from '../src/engine/formats/stand-in-reference';
import { convertModelFormat, decodeTflite, encodeTflite } from '../src/engine/formats/tflite';
import { judgeConversion, outputSteps } from '../src/engine/inspect/convert-check';
import type { Model } from '../src/engine/ir/model';
import { createVerifier } from '../src/engine/verify/verifier';

type Format = 'onnx' | 'tflite';
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : undefined;
const dirs = args;
if (!dirs.length) {
  console.error('usage: check-convert [--only text] <models dir> [more dirs…]');
  process.exit(2);
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : /\.(onnx|tflite)$/.test(f) ? [p] : [];
    });
}

const decode = (bytes: Uint8Array, format: Format, file: string): Model =>
  format === 'onnx' ? decodeOnnx(bytes, { file }) : decodeTflite(bytes, { file });
const encode = (model: Model, format: Format): Uint8Array => (format === 'onnx' ? encodeOnnx(model) : encodeTflite(model));

async function convert(model: Model, to: Format, file: string): Promise<{ bytes: Uint8Array; model: Model; dims: Record<string, number> }> {
  const result = await convertModelFormat(model, to, { file });
  const bytes = encode(result.model, to);
  // re-read the written bytes: what is checked is what a user would get
  return { bytes, model: decode(bytes, to, `${file} (converted)`), dims: result.dims };
}

interface Tally {
  total: number;
  converted: number;
  unchecked: number;
  /** Checked against a stand-in for an original that does not run here; how many of those matched. */
  standIn: number;
  standInMatched: number;
  matched: number;
  roundTripped: number;
  roundMatched: number;
}
const tally: Record<Format, Tally> = {
  onnx: { total: 0, converted: 0, unchecked: 0, standIn: 0, standInMatched: 0, matched: 0, roundTripped: 0, roundMatched: 0 },
  tflite: { total: 0, converted: 0, unchecked: 0, standIn: 0, standInMatched: 0, matched: 0, roundTripped: 0, roundMatched: 0 },
};
// the whole reason, indented under the model's line
const reason = (e: unknown) => (e instanceof LitheError ? e.message : String(e)).trim().replace(/\n/g, '\n      ');

for (const dir of dirs) {
  for (const path of files(dir).filter((p) => !only || p.includes(only))) {
    const name = relative(process.cwd(), path);
    const from: Format = path.endsWith('.onnx') ? 'onnx' : 'tflite';
    const to: Format = from === 'onnx' ? 'tflite' : 'onnx';
    const t = tally[from];
    t.total++;
    const source = new Uint8Array(readFileSync(path));
    let line = `${name}\n  → ${to}: `;
    let there;
    try {
      there = await convert(decode(source, from, name), to, name);
      t.converted++;
    } catch (e) {
      console.log(`${line}not converted: ${reason(e)}`);
      continue;
    }
    let verifier;
    let standIn;
    try {
      verifier = await createVerifier(source, from, { dims: there.dims, file: name });
    } catch (e) {
      standIn = await standInReference(source, from);
      verifier = standIn && (await createVerifier(standIn.bytes, from, { dims: there.dims, file: name }).catch(() => undefined));
      if (!verifier || !standIn) {
        t.unchecked++;
        console.log(
          `${line}converted (${there.model.graph.nodes.length} nodes), not checked: the original does not run here: ${reason(e)}`,
        );
        continue;
      }
      t.standIn++;
      line += `(against a stand-in: ${standIn.changes.join('; ')}; the original does not run here: ${reason(e)})\n    `;
    }
    try {
      const tfliteSide = to === 'tflite' ? there.model : decode(source, from, name);
      const steps = outputSteps(tfliteSide);
      const forward = judgeConversion(await verifier.verify(there.bytes, to), steps);
      if (forward.status === 'matches') t.matched++;
      if (forward.status === 'matches' && standIn) t.standInMatched++;
      line += `${forward.words}, ${there.model.graph.nodes.length} nodes`;
      line += `\n  → ${from} again: `;
      const back = await convert(there.model, from, `${name} (converted)`);
      t.roundTripped++;
      const again = judgeConversion(await verifier.verify(back.bytes, from), steps);
      if (again.status === 'matches') t.roundMatched++;
      line += `${again.words}, ${back.model.graph.nodes.length} nodes`;
    } catch (e) {
      line += `failed: ${reason(e)}`;
    } finally {
      await verifier.dispose();
    }
    console.log(line);
  }
}
for (const from of ['onnx', 'tflite'] as const) {
  const t = tally[from];
  const to = from === 'onnx' ? 'TFLite' : 'ONNX';
  const unchecked = `${t.unchecked} not checked: the original does not run here`;
  const standIns = t.standIn ? ` (${t.standInMatched} of them against a stand-in; ${t.standIn} checked so)` : '';
  console.log(
    `${from.toUpperCase()} models: ${t.total}; → ${to} converted ${t.converted} (${unchecked}), matching ${t.matched}${standIns}; ` +
      `round trip converted ${t.roundTripped}, matching ${t.roundMatched}`,
  );
}
