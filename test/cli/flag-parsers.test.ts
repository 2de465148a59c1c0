import { describe, expect, it } from 'vitest';
import { CommandError } from '../../src/contract';
import { collectDim, parseShard, parseThreads } from '../../src/cli/flag-parsers';

describe('CLI flag parsers', () => {
  it('parse I/N and refuse anything else', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard must look like I\/N/);
  });

  it('throw usage errors (exit status 2) the CLI reports in one line', () => {
    expect(() => parseThreads('two')).toThrow(CommandError);
    expect(() => parseThreads('two')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(parseThreads('1-3,2')).toEqual([1, 2, 3]);
    expect(collectDim('x:2=224', { N: 1 })).toEqual({ N: 1, 'x:2': 224 });
  });
});
