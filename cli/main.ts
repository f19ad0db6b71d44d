import { parseArgs } from 'node:util';
import type { CliIo, Command } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { SandboxUnavailableError } from './sandbox-loader.ts';

/** `eksops`: the sandbox, configuration checks, and the plan/apply commands of each capability. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const words = argv.filter((arg) => !arg.startsWith('-'));
  const wantsHelp = argv.includes('--help') || argv.includes('-h') || words[0] === 'help';
  const command = findCommand(words[0] === 'help' ? words.slice(1) : words);
  if (!command) {
    if (words.length > 0 && words[0] !== 'help') io.err(`eksops: unknown command "${words.join(' ')}"\n`);
    printOverview(words[0] === 'help' || wantsHelp || words.length === 0 ? io.out : io.err);
    return words.length === 0 || wantsHelp ? 0 : 2;
  }
  if (wantsHelp) {
    printHelp(command, io.out);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(command.path.length), options: command.options, allowPositionals: command.allowPositionals ?? false, strict: true });
  } catch (error) {
    io.err(`eksops ${command.path.join(' ')}: ${(error as Error).message}`);
    io.err(`usage: ${command.usage}`);
    return 2;
  }
  try {
    return await command.run({ values: parsed.values as Record<string, unknown>, positionals: parsed.positionals }, io);
  } catch (error) {
    // A person reads this: the reason, not a stack trace (--verbose adds it).
    io.err(`eksops ${command.path.join(' ')}: ${failureReason(error)}`);
    if (argv.includes('--verbose') && error instanceof Error && error.stack) io.err(error.stack);
    return error instanceof SandboxUnavailableError ? 2 : 1;
  }
}

function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // @smithy/property-provider's CredentialsProviderError: no provider of the default chain found credentials.
  if (error.name === 'CredentialsProviderError') return `no AWS credentials (${error.message}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with --sandbox`;
  return error.message;
}

function findCommand(words: readonly string[]): Command | undefined {
  return [...COMMANDS]
    .sort((a, b) => b.path.length - a.path.length)
    .find((command) => command.path.every((word, index) => words[index] === word));
}

function printOverview(write: (line: string) => void): void {
  write('usage: eksops <command> [options]\n');
  write('commands:');
  for (const command of COMMANDS) write(`  ${command.path.join(' ').padEnd(20)} ${command.summary}`);
  write('\n`eksops <command> --help` describes a command.');
}

function printHelp(command: Command, write: (line: string) => void): void {
  write(`usage: ${command.usage}\n`);
  write(command.summary);
  write('');
  for (const line of command.help) write(line);
}
