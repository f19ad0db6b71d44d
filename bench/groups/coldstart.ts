import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { functionConfigs } from '../../deploy/deployment.ts';
import { loadConfigFile } from '../../shared/config/load.ts';
import { type Bundle, bundleEntry, resolveEntry } from '../coldstart/bundle.ts';
import { type PackageBytes, packageOfInput } from '../coldstart/bundle-packages.ts';
import { toEsbuildOptions } from '../coldstart/esbuild-options.ts';
import { type ImportRun, measureImport } from '../coldstart/import-time.ts';
import { type SdkClientUse, sdkClientsOf, sdkFloorSource } from '../coldstart/sdk-floor.ts';
import { type LambdaFunction, readServerlessService } from '../coldstart/serverless-service.ts';
import type { Figure } from '../figures.ts';
import type { BenchContext, BenchFailure, BenchGroup, GroupOutcome } from '../group.ts';
import { pairedRatio, round, spreadOf } from '../stats.ts';

/** serverless.yml's custom.esbuild.plugins: the per-function configuration define (deploy/esbuild-plugins.cjs). */
const FUNCTION_CONFIG_PLUGIN = 'deploy/esbuild-plugins.cjs';

/** Measured imports per bundle. The median of 15 is stable to a few percent on a noisy 2-core machine. */
const RUNS = 15;
/** A first round that fills the page cache and smoke-tests every bundle; not counted. */
const WARMUP_RUNS = 1;
/** An import that touches the network or waits on something would otherwise hang the bench. */
const IMPORT_TIMEOUT_MS = 20_000;

const EMPTY_HANDLER = 'export const handler = async () => ({});\n';
const BASELINE_FLOOR = 'import time of a handler that only imports and constructs the same AWS SDK clients, bundled the same way (median of paired runs)';
const FLOOR_SUFFIX = '(sdk floor)';
const BASELINE_SIZE = 'an empty handler bundled the same way (.mjs bytes)';

/**
 * What the child process sees, besides the literal provider/function environment of serverless.yml (its
 * NODE_OPTIONS=--enable-source-maps included, as in Lambda). A region and inert credentials keep the SDK
 * from probing anything; values the deployment resolves get stand-ins.
 */
function lambdaEnvironment(fn: Pick<LambdaFunction, 'name' | 'environment'>): Record<string, string> {
  return {
    ...fn.environment,
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_LAMBDA_FUNCTION_NAME: `eksops-bench-${fn.name}`,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    EKSOPS_STAGE: 'bench',
    EKSOPS_ACCOUNT_ID: '123456789012',
    TZ: 'UTC',
  };
}

interface Subject {
  /** The function's name, `(empty)` for the baseline, `<name> (sdk floor)` for a function's floor. */
  name: string;
  handler: string;
  exportName: string;
  environment: Record<string, string>;
  bundle: Bundle;
  samples: number[];
  failed: boolean;
}

/** A function and the handler that holds only its AWS SDK clients, measured back to back in every round. */
interface Pair {
  fn: Subject;
  floor: Subject;
  clients: SdkClientUse[];
}

const EMPTY = '(empty)';

function nodeMajor(version: string): number {
  return Number(version.split('.')[0]);
}

/**
 * Round `round`'s order: the units rotated by one per round, so that a noisy moment hits every bundle alike,
 * and each pair's two bundles adjacent, the function first in even rounds and its floor first in odd ones.
 */
function roundOrder(units: readonly (readonly Subject[])[], round: number): Subject[] {
  const rotated = units.map((_, index) => units[(round + index) % units.length] ?? []);
  return rotated.flatMap((unit) => (round % 2 === 0 ? unit : [...unit].reverse()));
}

async function runColdstart(context: BenchContext): Promise<GroupOutcome> {
  const { repoRoot, progress } = context;
  const started = performance.now();
  const service = readServerlessService(await readFile(path.join(repoRoot, 'serverless.yml'), 'utf8'), 'serverless.yml', (file) => readFileSync(path.join(repoRoot, file), 'utf8'));
  if (nodeMajor(process.versions.node) !== service.nodeMajor) {
    throw new Error(
      `cold starts are measured on the Lambda runtime's Node (${service.runtime} → Node ${service.nodeMajor}), but the bench runs on ` +
        `Node ${process.versions.node} (${process.execPath}): run it with \`npm run bench\`, which uses node_modules/.bin/node`,
    );
  }
  if (service.functions.length === 0) throw new Error('serverless.yml defines no function to bundle');

  // Each function's configuration, as deploy/esbuild-plugins.cjs defines it in its bundle (the projection
  // deploy/deployment.ts makes of the validated configuration), from the documented example. That plugin is
  // the one serverless-esbuild plugin the bench reproduces: it does nothing but this define.
  const configs = functionConfigs(await loadConfigFile(path.join(repoRoot, 'eksops.config.example.yml')));
  const { plugins, ...custom } = service.esbuild;
  const esbuild = plugins === FUNCTION_CONFIG_PLUGIN ? custom : service.esbuild;
  const unresolved = service.variables.filter((variable) => !variable.startsWith('provider.'));
  if (unresolved.length > 0) progress(`coldstart: ignoring Serverless variables the bench cannot resolve: ${unresolved.join(', ')}`);
  const buildOptions = toEsbuildOptions(esbuild, service.nodeMajor);
  const withConfigOf = (name: string): typeof buildOptions => {
    const config = configs[name];
    if (config === undefined) throw new Error(`no configuration projection for function ${name} (deploy/config-projection.ts)`);
    return { ...buildOptions, options: { ...buildOptions.options, define: { ...buildOptions.options.define, __EKSOPS_CONFIG__: config } } };
  };

  const workDir = await mkdtemp(path.join(tmpdir(), 'eksops-bench-coldstart-'));
  try {
    const failures: BenchFailure[] = [];
    const emptyEntry = path.join(workDir, 'src', 'empty', 'handler.ts');
    await mkdir(path.dirname(emptyEntry), { recursive: true });
    await writeFile(emptyEntry, EMPTY_HANDLER);

    progress(`coldstart: bundling ${service.functions.length} function(s), their AWS SDK floors and the empty handler with esbuild`);
    const empty = await bundleEntry(repoRoot, emptyEntry, path.join(workDir, 'out', 'empty'), buildOptions);
    const baselineEnvironment = lambdaEnvironment({ name: 'empty', environment: service.environment });
    const baseline: Subject = { name: EMPTY, handler: 'empty/handler.handler', exportName: 'handler', environment: baselineEnvironment, bundle: empty, samples: [], failed: false };
    const bundled = await Promise.allSettled(
      service.functions.map(async (fn, index): Promise<Pair> => {
        const entry = resolveEntry(repoRoot, fn.modulePath, buildOptions.resolveExtensions);
        const options = withConfigOf(fn.name);
        const bundle = await bundleEntry(repoRoot, entry, path.join(workDir, 'out', fn.name, path.dirname(entry)), options);
        // The floor: the clients (and commands) the function's bundle really holds, bundled with its options.
        const clients = sdkClientsOf(Object.keys(bundle.inputs));
        const floorEntry = path.join(workDir, 'src', 'sdk-floor', String(index), 'handler.ts');
        await mkdir(path.dirname(floorEntry), { recursive: true });
        await writeFile(floorEntry, sdkFloorSource(clients));
        // The entry lives outside the service directory: its packages resolve from the service's node_modules.
        const floorOptions = { ...options, options: { ...options.options, nodePaths: [path.join(repoRoot, 'node_modules')] } };
        const floorBundle = await bundleEntry(repoRoot, floorEntry, path.join(workDir, 'out', 'sdk-floor', String(index)), floorOptions);
        const environment = lambdaEnvironment(fn);
        return {
          fn: { name: fn.name, handler: fn.handler, exportName: fn.exportName, environment, bundle, samples: [], failed: false },
          floor: { name: `${fn.name} ${FLOOR_SUFFIX}`, handler: `sdk floor of ${fn.handler}`, exportName: 'handler', environment, bundle: floorBundle, samples: [], failed: false },
          clients,
        };
      }),
    );
    const pairs: Pair[] = [];
    bundled.forEach((result, index) => {
      const fn = service.functions[index];
      if (!fn) return;
      if (result.status === 'rejected') failures.push({ subject: fn.name, message: `bundle failed:\n${(result.reason as Error).message}` });
      else pairs.push(result.value);
    });

    const units: Subject[][] = [[baseline], ...pairs.map((pair) => [pair.fn, pair.floor])];
    const subjectCount = units.reduce((count, unit) => count + unit.length, 0);
    const run: Omit<ImportRun, 'environment'> = { nodePath: process.execPath, timeoutMs: IMPORT_TIMEOUT_MS };
    progress(`coldstart: importing each bundle in a fresh Node ${process.versions.node}: ${WARMUP_RUNS} warm-up + ${RUNS} rounds × ${subjectCount} bundles`);
    for (let round = 0; round < WARMUP_RUNS + RUNS; round += 1) {
      for (const subject of roundOrder(units, round)) {
        if (subject.failed) continue;
        try {
          const ms = await measureImport(subject.bundle.file, subject.exportName, { ...run, environment: subject.environment });
          if (round >= WARMUP_RUNS) subject.samples.push(ms);
        } catch (error) {
          subject.failed = true;
          const who = subject === baseline ? 'the empty baseline handler' : subject.name;
          failures.push({ subject: who, message: `import of the ${subject.handler} bundle: ${(error as Error).message}` });
        }
      }
      if (baseline.failed) return { figures: [], failures };
    }

    // A pair is measured only when both of its bundles imported in every round: the ratios are per round.
    const measured = pairs.filter((pair) => !pair.fn.failed && !pair.floor.failed);
    const figures = measured.flatMap((pair) => functionFigures(pair, baseline));
    const floors = figures.filter((figure) => figure.id.endsWith('.init_vs_sdk_floor'));
    // The worst function stands for the group, but only when every function was measured.
    const worst = floors.reduce<Figure | undefined>((max, figure) => (max === undefined || figure.value > max.value ? figure : max), undefined);
    if (failures.length === 0 && worst) {
      const worstEmpty = Math.max(...floors.map((figure) => Number(figure.detail.initVsEmpty)));
      figures.unshift({
        id: 'coldstart.init_vs_sdk_floor',
        value: worst.value,
        unit: 'x',
        better: 'lower',
        baseline: BASELINE_FLOOR,
        detail: {
          function: worst.detail.function,
          ms: worst.detail.ms,
          floorMs: worst.detail.floorMs,
          functions: floors.length,
          emptyMs: worst.detail.emptyMs,
          worstInitVsEmpty: worstEmpty,
          byFunction: Object.fromEntries(floors.map((figure) => [figure.detail.function, figure.value])),
        },
      });
    }
    progress(`coldstart: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { figures, failures };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Bytes per package that the function's bundle holds beyond its floor's: what eksops adds to the SDK. */
function beyondFloor(bundle: Bundle, floor: Bundle, count = 8): PackageBytes[] {
  const floorBytes = new Map<string, number>();
  for (const [input, bytes] of Object.entries(floor.inputs)) floorBytes.set(packageOfInput(input), (floorBytes.get(packageOfInput(input)) ?? 0) + bytes);
  const extra = new Map<string, number>();
  for (const [input, bytes] of Object.entries(bundle.inputs)) {
    const name = packageOfInput(input);
    extra.set(name, (extra.get(name) ?? 0) + bytes);
  }
  for (const [name, bytes] of floorBytes) extra.set(name, (extra.get(name) ?? 0) - bytes);
  return [...extra]
    .filter(([, bytes]) => bytes > 0)
    .map(([name, bytes]) => ({ package: name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || (a.package < b.package ? -1 : 1))
    .slice(0, count);
}

function functionFigures(pair: Pair, baseline: Subject): Figure[] {
  const { fn, floor, clients } = pair;
  const time = spreadOf(fn.samples);
  const floorTime = spreadOf(floor.samples);
  const emptyTime = spreadOf(baseline.samples);
  const ratio = pairedRatio(fn.samples, floor.samples);
  const { bundle } = fn;
  return [
    {
      id: `coldstart.${fn.name}.init_vs_sdk_floor`,
      value: round(ratio.median, 3),
      unit: 'x',
      better: 'lower',
      baseline: BASELINE_FLOOR,
      detail: {
        ms: round(time.median, 2),
        floorMs: round(floorTime.median, 2),
        ratioIqr: round(ratio.iqr, 3),
        initVsEmpty: round(time.median / emptyTime.median, 3),
        emptyMs: round(emptyTime.median, 2),
        runs: fn.samples.length,
        iqrMs: round(time.iqr, 2),
        floorIqrMs: round(floorTime.iqr, 2),
        emptyIqrMs: round(emptyTime.iqr, 2),
        minMs: round(time.min, 2),
        maxMs: round(time.max, 2),
        floorBytes: floor.bundle.bytes,
        nodeOptions: fn.environment.NODE_OPTIONS ?? '',
        clients: clients.map((use) => ({ package: use.package, client: use.client, bundledCommands: use.commands.length })),
        beyondFloor: beyondFloor(bundle, floor.bundle),
        samplesMs: fn.samples.map((ms) => round(ms, 2)),
        floorSamplesMs: floor.samples.map((ms) => round(ms, 2)),
        emptySamplesMs: baseline.samples.map((ms) => round(ms, 2)),
        function: fn.name,
      },
    },
    {
      id: `coldstart.${fn.name}.size_vs_empty`,
      value: round(bundle.bytes / baseline.bundle.bytes, 1),
      unit: 'x',
      better: 'lower',
      baseline: BASELINE_SIZE,
      detail: {
        bytes: bundle.bytes,
        gzipBytes: bundle.gzipBytes,
        floorBytes: floor.bundle.bytes,
        emptyBytes: baseline.bundle.bytes,
        emptyGzipBytes: baseline.bundle.gzipBytes,
        mapBytes: bundle.mapBytes,
        warnings: bundle.warnings,
        topPackages: bundle.topPackages,
        function: fn.name,
      },
    },
  ];
}

export const coldstartGroup: BenchGroup = {
  name: 'coldstart',
  description: 'each function bundled as serverless-esbuild does: import time in a fresh Node vs a handler holding only its AWS SDK clients; bundle size vs an empty handler',
  run: runColdstart,
};
