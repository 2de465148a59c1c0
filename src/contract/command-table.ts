import type { z } from 'zod';
import { CommandError } from './errors';

// The types and checks every table of commands shares: the engine's commands (`commands.ts`) and the
// web host's file RPCs (`files.ts`) are both a name → { args, result } table of zod schemas.

/** One command's schemas: what it takes and what it returns. */
export interface CommandSpec {
  readonly args: z.ZodType;
  readonly result: z.ZodType;
}

/** A table of commands by name. */
export type CommandTable = Readonly<Record<string, CommandSpec>>;

/** Arguments a command of `T` takes (fields with defaults may be left out): what a caller sends. */
export type TableArgs<T extends CommandTable, C extends keyof T> = z.input<T[C]['args']>;
/** Arguments of a command of `T` after validation, defaults filled in: what its handler receives. */
export type TableParsedArgs<T extends CommandTable, C extends keyof T> = z.output<T[C]['args']>;
/** What a command of `T` returns. */
export type TableResult<T extends CommandTable, C extends keyof T> = z.output<T[C]['result']>;

/** Each command's schemas typed as what they parse to, for code generic over the command's name. */
export type TableSchemas<T extends CommandTable> = {
  [C in keyof T]: { args: z.ZodType<TableParsedArgs<T, C>>; result: z.ZodType<TableResult<T, C>> };
};

/** True when `name` names a command of `table` (its own key, not one inherited from `Object`). */
export function isTableCommand<T extends CommandTable>(table: T, name: unknown): name is keyof T & string {
  return typeof name === 'string' && Object.hasOwn(table, name);
}

/** The zod issues of a failed parse as one line: `field.path: message; …`. */
export function describeIssues(error: z.ZodError, whole = 'args'): string {
  return error.issues.map((issue) => `${issue.path.join('.') || whole}: ${issue.message}`).join('; ');
}

/**
 * `args` validated against command `command`'s schema in `schemas`, defaults filled in; a
 * `CommandError` (`invalid-argument`) naming the command and every bad field otherwise.
 */
export function parseTableArgs<T extends CommandTable, C extends keyof T & string>(
  schemas: TableSchemas<T>,
  command: C,
  args: unknown,
): TableParsedArgs<T, C> {
  const parsed = schemas[command].args.safeParse(args);
  if (parsed.success) return parsed.data;
  throw new CommandError({ code: 'invalid-argument', message: `Invalid arguments for ${command}: ${describeIssues(parsed.error)}` });
}
