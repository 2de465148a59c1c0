import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, deflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DataSource } from '../../../src/engine/data/batch';
import { layoutFromShape } from '../../../src/engine/data/input-layout';
import { parseNormalization } from '../../../src/engine/data/normalize';
import { openData } from '../../../src/engine/data/open-data';
import { randomSource } from '../../../src/engine/data/random-source';

const dir = mkdtempSync(join(tmpdir(), 'lithe-data-'));

function idx(typeCode: number, dims: number[], values: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = typeCode;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, values]);
}

function npy(descr: string, shape: number[], data: ArrayBufferView): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64) header += ' ';
  header += '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** A zip with deflated entries (the layout NumPy's savez_compressed writes). */
function zip(entries: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const dirEntry = Buffer.alloc(46);
    dirEntry.writeUInt32LE(0x02014b50, 0);
    dirEntry.writeUInt16LE(8, 10);
    dirEntry.writeUInt32LE(packed.length, 20);
    dirEntry.writeUInt32LE(data.length, 24);
    dirEntry.writeUInt16LE(nameBytes.length, 28);
    dirEntry.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    central.push(dirEntry, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBytes, end]);
}

async function collect(source: DataSource, size: number) {
  const batches = [];
  for await (const b of source.batches(size))
    batches.push({ count: b.count, data: Array.from(b.data), labels: b.labels ? Array.from(b.labels) : undefined });
  return batches;
}

describe('data loaders', () => {
  it('streams gzipped IDX images in batches with labels found beside them', async () => {
    const pixels = Uint8Array.from({ length: 5 * 2 * 2 }, (_, i) => i * 10);
    writeFileSync(join(dir, 'set-images-idx3-ubyte.gz'), gzipSync(idx(0x08, [5, 2, 2], pixels)));
    writeFileSync(join(dir, 'set-labels-idx1-ubyte.gz'), gzipSync(idx(0x08, [5], Uint8Array.from([3, 1, 4, 1, 5]))));
    const source = await openData({ path: join(dir, 'set-images-idx3-ubyte.gz') }, layoutFromShape('x', ['N', 1, 2, 2]));
    expect(source.count).toBe(5);
    expect(source.labeled).toBe(true);
    const batches = await collect(source, 2);
    expect(batches.map((b) => b.count)).toEqual([2, 2, 1]);
    expect(batches[0]!.labels).toEqual([3, 1]);
    expect(batches[0]!.data[1]).toBeCloseTo(10 / 255);
    expect(batches[2]!.data[3]).toBeCloseTo(190 / 255);
  });

  it('reads .npy (float, as stored) and .npz (uint8 pixels normalized, labels inside)', async () => {
    writeFileSync(join(dir, 'x.npy'), npy('<f4', [3, 4], Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])));
    const source = await openData({ path: join(dir, 'x.npy') }, layoutFromShape('x', ['N', 4]));
    expect((await collect(source, 8))[0]!.data).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const archive = zip({
      'x.npy': npy('|u1', [2, 2, 2], Uint8Array.from([0, 255, 51, 102, 0, 0, 0, 255])),
      'y.npy': npy('<i8', [2], BigInt64Array.from([7n, 2n])),
    });
    writeFileSync(join(dir, 'd.npz'), archive);
    const npz = await openData({ path: join(dir, 'd.npz'), normalize: '-1-1' }, layoutFromShape('x', [1, 2, 2]));
    const [batch] = await collect(npz, 1);
    expect(batch!.labels).toEqual([7]);
    expect(batch!.data[0]).toBeCloseTo(-1);
    expect(batch!.data[1]).toBeCloseTo(1);
  });

  it('decodes a folder of images: class subfolders become labels, gray or RGB, resized, NCHW or NHWC', async () => {
    const root = join(dir, 'images');
    for (const [cls, color] of [
      ['cat', { r: 255, g: 0, b: 0 }],
      ['dog', { r: 0, g: 0, b: 255 }],
    ] as const) {
      mkdirSync(join(root, cls), { recursive: true });
      await sharp({ create: { width: 8, height: 6, channels: 3, background: color } })
        .png()
        .toFile(join(root, cls, 'a.png'));
    }
    const rgb = await openData({ path: root }, layoutFromShape('x', ['N', 3, 4, 4]));
    const batches = await collect(rgb, 2);
    expect(batches[0]!.labels).toEqual([0, 1]);
    expect(batches[0]!.data.length).toBe(2 * 3 * 16);
    expect(batches[0]!.data[0]).toBeCloseTo(1); // cat: red plane first (NCHW)
    expect(batches[0]!.data[32]).toBeCloseTo(0);
    const nhwc = await openData({ path: root, normalize: 'imagenet' }, layoutFromShape('x', [1, 4, 4, 3]));
    const [first] = await collect(nhwc, 1);
    expect(first!.data[0]).toBeCloseTo((1 - 0.485) / 0.229, 3);
    expect(first!.data[2]).toBeCloseTo((0 - 0.406) / 0.225, 3);
    const gray = await openData({ path: root }, layoutFromShape('x', ['N', 1, 4, 4]));
    expect((await collect(gray, 2))[0]!.data.length).toBe(32);
  });

  it('parses normalization presets and custom mean/std; random data is flagged', async () => {
    expect(parseNormalization('mean=0.5,0.5,0.5;std=0.25,0.25,0.25')).toEqual({
      scale: 255,
      mean: [0.5, 0.5, 0.5],
      std: [0.25, 0.25, 0.25],
    });
    expect(() => parseNormalization('bogus')).toThrow(/Unknown normalization/);
    const random = randomSource(layoutFromShape('x', ['N', 3]), 5);
    expect(random.random).toBe(true);
    expect((await collect(random, 10))[0]!.count).toBe(5);
  });
});
