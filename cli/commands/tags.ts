import { existsSync } from 'node:fs';
import { AwsClientFactory } from '../../shared/aws/client-factory.ts';
import { resolveCluster } from '../../shared/config/clusters.ts';
import { ConfigError, loadConfigFile } from '../../shared/config/load.ts';
import type { Config } from '../../shared/config/schema.ts';
import { secretReaderFor } from '../../shared/secrets/secret-reader.ts';
import { type ReconcileDeps, type ReconcileResult, reconcile } from '../../shared/tags/reconcile.ts';
import { systemClock } from '../../shared/time/clock.ts';
import type { CliIo, Command } from '../command.ts';

const options = {
  cluster: { type: 'string', multiple: true },
  config: { type: 'string' },
  stage: { type: 'string' },
} as const;

/** The stack's record key secret (serverless.yml creates it): signs and verifies `eksops:managed`. */
export const recordKeySecretName = (stage: string) => `eksops-${stage}/tag-record-key`;

/** Plan or apply against whatever account `deps.clients` reaches; tests hand it the sandbox's. */
export async function runTags(mode: 'plan' | 'apply', clusters: readonly string[] | undefined, deps: ReconcileDeps, io: CliIo): Promise<number> {
  const unknown = (clusters ?? []).filter((name) => resolveCluster(deps.config, name) === undefined);
  if (unknown.length > 0) {
    io.err(`eksops tags ${mode}: not in the configuration: ${unknown.join(', ')}`);
    return 2;
  }
  const result = await reconcile({ planOnly: mode === 'plan', ...(clusters?.length ? { clusters } : {}) }, deps);
  printResult(result, mode, io);
  return result.clusters.some((run) => run.error || (run.act?.failures.length ?? 0) > 0) ? 1 : 0;
}

function printResult(result: ReconcileResult, mode: 'plan' | 'apply', io: CliIo): void {
  for (const run of result.clusters) {
    io.out(`cluster ${run.cluster}`);
    if (run.error) {
      io.out(`  ! ${run.error.name}: ${run.error.message}`);
      continue;
    }
    for (const change of run.plan?.changes ?? []) {
      const set = Object.entries(change.set).map(([key, value]) => `+${key}=${value}${change.propagate?.[key] ? ' (propagate)' : ''}`);
      io.out(`  ~ ${change.kind} ${change.id}: ${[...set, ...change.remove.map((key) => `-${key}`)].join(' ')}`);
    }
    for (const finding of run.plan?.findings ?? []) io.out(`  ? ${finding.rule} ${finding.resource}: ${finding.message}`);
    for (const lint of run.plan?.lints ?? []) io.out(`  lint ${lint.rule} ${lint.subject}: ${lint.evidence.join('; ')}`);
    if ((run.plan?.pendingNodegroups.length ?? 0) > 0) io.out(`  … waiting for the ASG of: ${run.plan?.pendingNodegroups.join(', ')}`);
    for (const failure of run.act?.failures ?? []) io.out(`  ! ${failure.error.name} writing ${failure.resources.slice(0, 5).join(', ')}: ${failure.error.message}`);
    const count = run.plan?.changes.length ?? 0;
    const verb = result.dryRun ? 'would change' : 'changed';
    io.out(`  ${count === 0 ? 'converged: nothing to write' : `${count} resource(s) ${verb}`}${run.act && run.act.gone.length > 0 ? `; ${run.act.gone.length} gone before tagging` : ''}`);
  }
  if (mode === 'apply' && result.dryRun) io.out('dryRun is set in the configuration: nothing was written.');
}

async function loadConfig(file: string | undefined, io: CliIo): Promise<Config | undefined> {
  const path = file ?? (existsSync('eksops.config.yml') ? 'eksops.config.yml' : 'eksops.config.example.yml');
  try {
    return await loadConfigFile(path);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${path}: ${error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    return undefined;
  }
}

function command(mode: 'plan' | 'apply'): Command {
  return {
    path: ['tags', mode],
    summary: mode === 'plan' ? 'Show the node tag changes eksops would make (read-only)' : 'Reconcile node tags now (writes the difference)',
    usage: `eksops tags ${mode} [--cluster NAME]… [--stage dev] [--config FILE]`,
    help: [
      mode === 'plan'
        ? 'Observes every configured cluster (or those named) with your AWS credentials and prints the exact writes: one line per resource, +key=value to set, -key to remove; then findings (what the policy refuses to write) and lints. Nothing is written.'
        : 'Observes, plans and writes the difference, as the scheduled reconcile does. dryRun in the configuration makes it a plan.',
      'Exit code 0 when every cluster was reconciled (or planned), 1 when one failed, 2 for bad usage.',
    ],
    options,
    async run({ values }, io) {
      const config = await loadConfig(values.config as string | undefined, io);
      if (!config) return 2;
      const clients = new AwsClientFactory({ defaultRegion: config.region, accounts: config.accounts });
      const stage = typeof values.stage === 'string' ? values.stage : 'dev';
      const recordKey = await secretReaderFor(clients).read({ secretsManager: recordKeySecretName(stage) });
      return runTags(mode, values.cluster as string[] | undefined, { config, clients, clock: systemClock, recordKey }, io);
    },
  };
}

/** `eksops tags …` commands. */
export const TAGS_COMMANDS: readonly Command[] = [command('plan'), command('apply')];
