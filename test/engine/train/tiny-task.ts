// A tiny image classification task for training tests: 6×6 gray images, bright top half (class 0) or bright bottom half (class 1).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from '../../../src/engine/data/batch';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import type { Model } from '../../../src/engine/ir/model';
import { intAttr, intsAttr } from '../../../src/engine/passes/util/attributes';
import type { Samples } from '../../../src/engine/train/samples';
import { seededRandom } from '../../../src/engine/util/seeded-random';
import { TinyGraph } from './tiny-graphs';

/** Conv → Relu → MaxPool → Flatten → Gemm: float32[N,1,6,6] → logits float32[N,2]. */
export function tinyClassifier(seed = 3): Model {
  const b = new TinyGraph('float32', 13, seed);
  const x = b.input('image', ['N', 1, 6, 6]);
  const conv = b.op('Conv', [x, b.weight('conv.w', [3, 1, 3, 3], undefined, -0.3, 0.3), b.weight('conv.b', [3], undefined, -0.1, 0.1)], {
    pads: intsAttr([1, 1, 1, 1]),
  });
  const pooled = b.ops('MaxPool', [b.op('Relu', [conv])], 1, { kernel_shape: intsAttr([2, 2]), strides: intsAttr([2, 2]) })[0]!;
  const flat = b.op('Flatten', [pooled], { axis: intAttr(1) });
  const logits = b.op('Gemm', [flat, b.weight('fc.w', [2, 27], undefined, -0.2, 0.2), b.weight('fc.b', [2], [0, 0])], {
    transB: intAttr(1),
  });
  logits.type = { kind: 'tensor', dtype: 'float32', shape: ['N', 2] };
  b.output(logits);
  return b.model;
}

/** `count` images of the task with their labels. */
export function tinySamples(count: number, seed = 5): Samples {
  const random = seededRandom(seed);
  const data = new Float32Array(count * 36);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = random() < 0.5 ? 0 : 1;
    labels[n] = label;
    for (let i = 0; i < 36; i++) {
      const top = i < 18;
      data[n * 36 + i] = (top === (label === 0) ? 0.8 : 0.2) + (random() - 0.5) * 0.3;
    }
  }
  return { description: `${count} tiny images`, data, labels, count, sampleDims: [1, 6, 6], size: 36 };
}

/** An .npy file of float32 values. */
export function npyBytes(descr: string, shape: number[], data: ArrayBufferView): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64) header += ' ';
  header += '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** Writes the tiny model and `count` samples (images.npy, labels.npy) into `dir`. */
export function writeTinyTask(dir: string, count = 160): { model: string; images: string; labels: string } {
  const samples = tinySamples(count);
  const paths = { model: join(dir, 'tiny.onnx'), images: join(dir, 'images.npy'), labels: join(dir, 'labels.npy') };
  writeFileSync(paths.model, encodeOnnx(tinyClassifier()));
  writeFileSync(paths.images, npyBytes('<f4', [count, 1, 6, 6], samples.data));
  writeFileSync(paths.labels, npyBytes('<i4', [count], samples.labels!));
  return paths;
}

/** Streams `samples` in order as a data source, with their labels unless `labelled` is false. */
export function sourceOf(samples: Samples, labelled = true): DataSource {
  return {
    description: samples.description,
    count: samples.count,
    random: false,
    labeled: labelled,
    sampleDims: samples.sampleDims,
    async *batches(size, limit) {
      const total = Math.min(samples.count, limit ?? Infinity);
      for (let start = 0; start < total; start += size) {
        const count = Math.min(size, total - start);
        yield {
          data: samples.data.slice(start * samples.size, (start + count) * samples.size),
          count,
          ...(labelled ? { labels: samples.labels!.slice(start, start + count) } : {}),
        };
      }
    },
  };
}
