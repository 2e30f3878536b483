// The flags each command takes, shared by the command and by src/main.ts, which checks them
// before loading the configuration: a mistyped flag is named even when the .env is broken.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface ArgsSpec {
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals: boolean;
}

/** parseArgs' own message for an unknown flag, a flag without its value or a stray argument; undefined when none. */
export function argsProblem(args: readonly string[], spec: ArgsSpec): string | undefined {
  try {
    parseArgs({ args: [...args], options: spec.options, allowPositionals: spec.allowPositionals, strict: true });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
