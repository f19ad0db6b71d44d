export {};

// The sandbox prints a timeline; the functions' own JSON logs and EMF metrics would bury it. Powertools reads
// these when the modules load, hence the dynamic import after setting them.
if (!process.argv.includes('--verbose')) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
}

const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) });
