import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { functionConfigs } from '../../deploy/deployment.ts';
import { loadConfigFile } from '../../shared/config/load.ts';
import { type Bundle, bundleEntry, resolveEntry } from '../coldstart/bundle.ts';
import { toEsbuildOptions } from '../coldstart/esbuild-options.ts';
import { type ImportRun, measureImport } from '../coldstart/import-time.ts';
import { type LambdaFunction, readServerlessService } from '../coldstart/serverless-service.ts';
import type { Figure } from '../figures.ts';
import type { BenchContext, BenchFailure, BenchGroup, GroupOutcome } from '../group.ts';
import { round, spreadOf } from '../stats.ts';

/** serverless.yml's custom.esbuild.plugins: the per-function configuration define (deploy/esbuild-plugins.cjs). */
const FUNCTION_CONFIG_PLUGIN = 'deploy/esbuild-plugins.cjs';

/** Measured imports per bundle. The median of 15 is stable to a few percent on a noisy 2-core machine. */
const RUNS = 15;
/** A first round that fills the page cache and smoke-tests every bundle; not counted. */
const WARMUP_RUNS = 1;
/** An import that touches the network or waits on something would otherwise hang the bench. */
const IMPORT_TIMEOUT_MS = 20_000;

const EMPTY_HANDLER = 'export const handler = async () => ({});\n';
const BASELINE_INIT = 'import time of an empty handler bundled the same way (medians)';
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
  /** The function's name, or `(empty)` for the baseline. */
  name: string;
  handler: string;
  exportName: string;
  environment: Record<string, string>;
  bundle: Bundle;
  samples: number[];
  failed: boolean;
}

const EMPTY = '(empty)';

function nodeMajor(version: string): number {
  return Number(version.split('.')[0]);
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

    progress(`coldstart: bundling ${service.functions.length} function(s) and the empty handler with esbuild`);
    const empty = await bundleEntry(repoRoot, emptyEntry, path.join(workDir, 'out', 'empty'), buildOptions);
    const baselineEnvironment = lambdaEnvironment({ name: 'empty', environment: service.environment });
    const subjects: Subject[] = [
      { name: EMPTY, handler: 'empty/handler.handler', exportName: 'handler', environment: baselineEnvironment, bundle: empty, samples: [], failed: false },
    ];
    const bundled = await Promise.allSettled(
      service.functions.map(async (fn) => {
        const entry = resolveEntry(repoRoot, fn.modulePath, buildOptions.resolveExtensions);
        return bundleEntry(repoRoot, entry, path.join(workDir, 'out', fn.name, path.dirname(entry)), withConfigOf(fn.name));
      }),
    );
    bundled.forEach((result, index) => {
      const fn = service.functions[index];
      if (!fn) return;
      if (result.status === 'rejected') {
        failures.push({ subject: fn.name, message: `bundle failed:\n${(result.reason as Error).message}` });
        return;
      }
      const { name, handler, exportName } = fn;
      subjects.push({ name, handler, exportName, environment: lambdaEnvironment(fn), bundle: result.value, samples: [], failed: false });
    });

    const run: Omit<ImportRun, 'environment'> = { nodePath: process.execPath, timeoutMs: IMPORT_TIMEOUT_MS };
    progress(`coldstart: importing each bundle in a fresh Node ${process.versions.node}: ${WARMUP_RUNS} warm-up + ${RUNS} rounds × ${subjects.length} bundles`);
    for (let round = 0; round < WARMUP_RUNS + RUNS; round += 1) {
      // Interleaved, and rotated each round, so that a noisy moment hits every bundle alike.
      for (let turn = 0; turn < subjects.length; turn += 1) {
        const subject = subjects[(round + turn) % subjects.length];
        if (!subject || subject.failed) continue;
        try {
          const ms = await measureImport(subject.bundle.file, subject.exportName, { ...run, environment: subject.environment });
          if (round >= WARMUP_RUNS) subject.samples.push(ms);
        } catch (error) {
          subject.failed = true;
          const who = subject.name === EMPTY ? 'the empty baseline handler' : subject.name;
          failures.push({ subject: who, message: `import of the ${subject.handler} bundle: ${(error as Error).message}` });
        }
      }
      if (subjects[0]?.failed) return { figures: [], failures };
    }

    const [baseline, ...measured] = subjects;
    if (!baseline) return { figures: [], failures };
    const figures = measured.filter((subject) => !subject.failed).flatMap((subject) => functionFigures(subject, baseline));
    const inits = figures.filter((figure) => figure.id.endsWith('.init_vs_empty'));
    // The worst function stands for the group, but only when every function was measured.
    const worst = inits.reduce<Figure | undefined>((max, figure) => (max === undefined || figure.value > max.value ? figure : max), undefined);
    if (failures.length === 0 && worst) {
      figures.unshift({
        id: 'coldstart.init_vs_empty',
        value: worst.value,
        unit: 'x',
        better: 'lower',
        baseline: BASELINE_INIT,
        detail: { function: worst.detail.function, ms: worst.detail.ms, emptyMs: worst.detail.emptyMs, functions: inits.length },
      });
    }
    progress(`coldstart: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { figures, failures };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function functionFigures(subject: Subject, baseline: Subject): Figure[] {
  const time = spreadOf(subject.samples);
  const emptyTime = spreadOf(baseline.samples);
  const { bundle } = subject;
  return [
    {
      id: `coldstart.${subject.name}.init_vs_empty`,
      value: round(time.median / emptyTime.median, 3),
      unit: 'x',
      better: 'lower',
      baseline: BASELINE_INIT,
      detail: {
        ms: round(time.median, 2),
        emptyMs: round(emptyTime.median, 2),
        runs: subject.samples.length,
        iqrMs: round(time.iqr, 2),
        emptyIqrMs: round(emptyTime.iqr, 2),
        minMs: round(time.min, 2),
        maxMs: round(time.max, 2),
        nodeOptions: subject.environment.NODE_OPTIONS ?? '',
        samplesMs: subject.samples.map((ms) => round(ms, 2)),
        emptySamplesMs: baseline.samples.map((ms) => round(ms, 2)),
        function: subject.name,
      },
    },
    {
      id: `coldstart.${subject.name}.size_vs_empty`,
      value: round(bundle.bytes / baseline.bundle.bytes, 1),
      unit: 'x',
      better: 'lower',
      baseline: BASELINE_SIZE,
      detail: {
        bytes: bundle.bytes,
        gzipBytes: bundle.gzipBytes,
        emptyBytes: baseline.bundle.bytes,
        emptyGzipBytes: baseline.bundle.gzipBytes,
        mapBytes: bundle.mapBytes,
        warnings: bundle.warnings,
        topPackages: bundle.topPackages,
        function: subject.name,
      },
    },
  ];
}

export const coldstartGroup: BenchGroup = {
  name: 'coldstart',
  description: 'each function bundled as serverless-esbuild does: import time in a fresh Node and bundle size, vs an empty handler',
  run: runColdstart,
};
