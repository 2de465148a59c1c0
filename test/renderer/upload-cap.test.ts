import { describe, expect, it } from 'vitest';
import { CommandError, MAX_UPLOAD_BYTES } from '../../src/contract';
import { uploadRefusal } from '../../src/renderer/lib/files/upload-cap';

// A file over the web host's upload cap is refused by the page at once (uploadFile rejects before it
// opens a request), in the host's own words, instead of being sent in full only to meet the 413.
describe('uploadRefusal', () => {
  it('refuses a file over the cap, in the words of the host', () => {
    const refusal = uploadRefusal({ name: 'huge.onnx', size: MAX_UPLOAD_BYTES + 1 });
    expect(refusal).toBeInstanceOf(CommandError);
    expect(refusal?.info).toEqual({
      code: 'invalid-argument',
      file: 'huge.onnx',
      message: 'huge.onnx is larger than 1 GiB, the most Lithe takes by upload.',
    });
    expect(uploadRefusal({ name: 'a.onnx', size: 300 * 1024 ** 2 + 1 }, 300 * 1024 ** 2)?.message).toBe(
      'a.onnx is larger than 300 MiB, the most Lithe takes by upload.',
    );
  });

  it('lets a file at the cap go', () => {
    expect(uploadRefusal({ name: 'large.onnx', size: MAX_UPLOAD_BYTES })).toBeUndefined();
  });
});
