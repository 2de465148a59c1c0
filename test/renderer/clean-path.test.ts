import { describe, expect, it } from 'vitest';
import { cleanPath } from '../../src/renderer/lib/files/clean-path';

describe('cleanPath', () => {
  it('removes the quotes file managers and terminals add', () => {
    expect(cleanPath("'/home/ann/My Models/a.onnx'")).toEqual({ ok: true, path: '/home/ann/My Models/a.onnx', changed: true });
    expect(cleanPath('"/home/ann/a.onnx"\n')).toMatchObject({ ok: true, path: '/home/ann/a.onnx' });
    expect(cleanPath('“/home/ann/a.onnx”')).toMatchObject({ ok: true, path: '/home/ann/a.onnx' });
  });

  it('turns file:// addresses into paths, with %-escapes decoded', () => {
    expect(cleanPath('file:///home/ann/My%20Models/a.onnx')).toMatchObject({ ok: true, path: '/home/ann/My Models/a.onnx' });
    expect(cleanPath("'file:///C:/Users/ann/a.onnx'")).toMatchObject({ ok: true, path: 'C:/Users/ann/a.onnx' });
  });

  it('expands ~ to the home folder when it is known', () => {
    expect(cleanPath('~/models/a.onnx', '/home/ann')).toMatchObject({ ok: true, path: '/home/ann/models/a.onnx' });
    expect(cleanPath('~/models/a.onnx')).toMatchObject({ ok: false });
  });

  it('refuses relative paths with a sentence that says what to give instead', () => {
    const cleaned = cleanPath('models/a.onnx');
    expect(cleaned.ok).toBe(false);
    if (!cleaned.ok) expect(cleaned.problem).toContain('full path');
  });

  it('leaves a clean absolute path alone', () => {
    expect(cleanPath('/home/ann/a.onnx')).toEqual({ ok: true, path: '/home/ann/a.onnx', changed: false });
  });
});
