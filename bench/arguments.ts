export type BenchArguments =
  | { kind: 'help' }
  | { kind: 'run'; /** In registry order; every known group when none is named. */ groups: string[] }
  | { kind: 'error'; message: string };

/** `npm run bench -- [GROUP …] [--help]`. */
export function parseBenchArguments(argv: readonly string[], knownGroups: readonly string[]): BenchArguments {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const option = argv.find((argument) => argument.startsWith('-'));
  if (option !== undefined) return { kind: 'error', message: `unknown option ${option} (try --help)` };
  const unknown = argv.filter((name) => !knownGroups.includes(name));
  if (unknown.length > 0) {
    return { kind: 'error', message: `unknown group ${unknown.join(', ')}; known groups: ${knownGroups.join(', ')}` };
  }
  const named = new Set(argv);
  return { kind: 'run', groups: named.size === 0 ? [...knownGroups] : knownGroups.filter((name) => named.has(name)) };
}
