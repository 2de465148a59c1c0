import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CommandError,
  commands,
  fileCommands,
  isCommandName,
  isFileCommandName,
  parseCommandArgs,
  parseFileCommandArgs,
  type FileCommandArgs,
  type FileCommandParsedArgs,
  type ParsedArgs,
  type TableParsedArgs,
} from '../../src/contract';

const contract = join(import.meta.dirname, '../../src/contract');

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('one command-table helper for the engine commands and the file RPCs', () => {
  it('neither table file spells out its own args/result type helpers', () => {
    for (const file of ['commands.ts', 'files.ts']) {
      const text = readFileSync(join(contract, file), 'utf8');
      expect(text, file).not.toMatch(/z\.(input|output|infer)<\(typeof \w+\)\[C\]/);
      expect(text, file).not.toMatch(/Object\.hasOwn\(/);
    }
  });

  it('names only a table’s own commands, never inherited keys', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 42, undefined]) {
      expect(isCommandName(name)).toBe(false);
      expect(isFileCommandName(name)).toBe(false);
    }
    expect(isCommandName('files.list')).toBe(false);
    expect(isFileCommandName('app.info')).toBe(false);
    expect(Object.keys(commands).every(isCommandName)).toBe(true);
    expect(Object.keys(fileCommands).every(isFileCommandName)).toBe(true);
  });

  it('fills defaults and refuses bad fields with the same message for both tables', () => {
    expect(parseFileCommandArgs('files.list', { path: '/tmp' })).toEqual({ path: '/tmp', showHidden: false });
    const file = thrown(() => parseFileCommandArgs('files.list', { path: 'relative/x', showHidden: 'yes' }));
    expect(file).toBeInstanceOf(CommandError);
    expect((file as CommandError).code).toBe('invalid-argument');
    expect((file as CommandError).message).toMatch(/^Invalid arguments for files\.list: path: Give the full path.*; showHidden: /);
    const engine = thrown(() => parseCommandArgs('model.inspect', { path: 7 }));
    expect(engine).toBeInstanceOf(CommandError);
    expect((engine as CommandError).message).toMatch(/^Invalid arguments for model\.inspect: path: /);
    expect(thrown(() => parseCommandArgs('app.info', { extra: 1 }))).toBeInstanceOf(CommandError);
  });

  it('types arguments from the one generic helper', () => {
    expectTypeOf<FileCommandParsedArgs<'files.list'>>().toEqualTypeOf<{ path: string; showHidden: boolean }>();
    expectTypeOf<FileCommandArgs<'files.list'>>().toEqualTypeOf<{ path: string; showHidden?: boolean | undefined }>();
    expectTypeOf<ParsedArgs<'model.inspect'>>().toEqualTypeOf<TableParsedArgs<typeof commands, 'model.inspect'>>();
  });
});
