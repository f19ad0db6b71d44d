// `npm run bench [-- GROUP …]`: runs the bench groups, prints their figures as a table and merges them into
// bench/results.json. Every figure is a ratio to a baseline measured in the same run; see bench/figures.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArguments } from './arguments.ts';
import { type Figure, mergeFigures, readResults, renderTable, ResultsFileError, writeResults } from './figures.ts';
import type { BenchFailure } from './group.ts';
import { loadBenchGroups } from './registry.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = path.join(repoRoot, 'bench', 'results.json');
// The groups run the functions in process: their JSON logs and EMF metrics would mix with the table.
// Powertools reads these when its modules load, and the groups are imported below, after this.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const benchGroups = await loadBenchGroups();

function usage(): string {
  const width = Math.max(...benchGroups.map((group) => group.name.length));
  return [
    'usage: npm run bench [-- GROUP …]',
    '',
    'Runs the named groups (all when none is named), prints their figures and merges them into',
    'bench/results.json: the groups run replace their figures there, the others are kept.',
    'Exits non-zero when anything failed; the figures measured despite it are still reported.',
    '',
    'groups:',
    ...benchGroups.map((group) => `  ${group.name.padEnd(width)}  ${group.description}`),
  ].join('\n');
}

async function main(): Promise<number> {
  const started = performance.now();
  const parsed = parseBenchArguments(process.argv.slice(2), benchGroups.map((group) => group.name));
  if (parsed.kind === 'help') {
    console.log(usage());
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`bench: ${parsed.message}`);
    return 2;
  }

  const figures: Figure[] = [];
  const failures: BenchFailure[] = [];
  for (const group of benchGroups.filter((candidate) => parsed.groups.includes(candidate.name))) {
    try {
      const outcome = await group.run({ repoRoot, progress: (message) => console.error(message) });
      figures.push(...outcome.figures);
      failures.push(...outcome.failures.map((failure) => ({ ...failure, subject: `${group.name}: ${failure.subject}` })));
    } catch (error) {
      failures.push({ subject: group.name, message: error instanceof Error ? error.message : String(error) });
    }
  }

  console.log(renderTable(figures));
  for (const failure of failures) console.error(`\nFAILED ${failure.subject}: ${failure.message}`);

  let existing: Figure[] = [];
  try {
    existing = await readResults(resultsFile);
  } catch (error) {
    if (!(error instanceof ResultsFileError)) throw error;
    console.error(`bench: ${error.message}; starting it afresh`);
  }
  const merged = mergeFigures(existing, figures, parsed.groups);
  await writeResults(resultsFile, merged);
  console.error(
    `\nbench: ${figures.length} figure(s) from ${parsed.groups.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `${path.relative(process.cwd(), resultsFile)} holds ${merged.length}` +
      (failures.length > 0 ? `; ${failures.length} failure(s)` : ''),
  );
  return failures.length > 0 ? 1 : 0;
}

process.exitCode = await main();
