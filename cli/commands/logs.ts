import { existsSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { AwsClientFactory } from '../../shared/aws/client-factory.ts';
import { loadConfigFile } from '../../shared/config/load.ts';
import type { Config } from '../../shared/config/schema.ts';
import { defaultFetch, type Fetch } from '../../shared/http/fetch.ts';
import { destinationsFromConfig } from '../../shared/logs/destinations/from-config.ts';
import { FailureStore } from '../../shared/logs/failure-store.ts';
import { replayFailures } from '../../shared/logs/replay.ts';
import { type Clock, systemClock } from '../../shared/time/clock.ts';
import type { Command } from '../command.ts';

/** What `eksops logs replay` runs with: production builds real clients; tests hand in the sandbox's. */
export interface LogsCommandEnvironment {
  loadConfig: (file: string) => Promise<Config>;
  clients: (config: Config) => AwsClientFactory;
  fetch: Fetch;
  clock: Clock;
}

const PRODUCTION: LogsCommandEnvironment = {
  loadConfig: loadConfigFile,
  clients: (config) => new AwsClientFactory({ defaultRegion: process.env.AWS_REGION ?? config.region, accounts: config.accounts }),
  fetch: defaultFetch,
  clock: systemClock,
};

export function logsCommands(environment: LogsCommandEnvironment): Command[] {
  return [
    {
      path: ['logs', 'replay'],
      summary: 'Resend the log records kept in the failure store to their destinations',
      usage: 'eksops logs replay --bucket BUCKET [--destination NAME] [--dry-run] [--config FILE]',
      help: [
        'Reads the failure store (the LogsFailureBucket of the stack: `aws cloudformation describe-stack-resource',
        '--stack-name eksops-<stage> --logical-resource-id LogsFailureBucket`), resends each stored batch to the',
        'destination it failed on, and deletes an object only once every record in it was delivered; what still',
        'fails stays, with its reason and attempt count. Destinations and their secrets come from the configuration.',
        '  --bucket BUCKET       the failure-store bucket (required)',
        '  --destination NAME    only that destination\'s records',
        '  --dry-run             count what would be resent; change nothing',
        '  --config FILE         default: eksops.config.yml',
        'Exit code 0 when nothing is left undelivered, 1 otherwise.',
        'Example: eksops logs replay --bucket eksops-prod-logsfailurebucket-1a2b3c --destination splunk',
      ],
      options: {
        bucket: { type: 'string' },
        destination: { type: 'string' },
        'dry-run': { type: 'boolean' },
        config: { type: 'string' },
      },
      async run({ values }, io) {
        const bucket = typeof values.bucket === 'string' ? values.bucket : undefined;
        if (!bucket) {
          io.err('logs replay: --bucket is required (the LogsFailureBucket of the stack)');
          return 2;
        }
        const file = typeof values.config === 'string' ? values.config : existsSync('eksops.config.yml') ? 'eksops.config.yml' : 'eksops.config.example.yml';
        const config = await environment.loadConfig(file);
        const destination = typeof values.destination === 'string' ? values.destination : undefined;
        if (destination && !config.logs.destinations.some((candidate) => candidate.name === destination)) {
          io.err(`logs replay: ${file} has no destination named "${destination}"`);
          return 2;
        }
        const clients = environment.clients(config);
        const store = new FailureStore(clients.client(S3Client), bucket);
        const destinations = destinationsFromConfig(config.logs.destinations, { clients, fetch: environment.fetch });
        const summary = await replayFailures(store, destinations, {
          clock: environment.clock,
          // A person waits for the command: no Lambda deadline, but a bound all the same.
          remainingMs: () => 3_600_000,
          ...(destination ? { destination } : {}),
          ...(values['dry-run'] === true ? { dryRun: true } : {}),
        });
        const verb = values['dry-run'] === true ? 'would resend' : 'resent';
        io.out(`${bucket}: ${summary.objects} object(s); ${verb} ${values['dry-run'] === true ? summary.remaining : summary.delivered} record(s); ${summary.cleared} object(s) cleared; ${values['dry-run'] === true ? 0 : summary.remaining} record(s) still undelivered`);
        for (const name of summary.unknownDestinations) io.err(`  records for destination "${name}" stay: it is not in ${file}`);
        return values['dry-run'] === true || summary.remaining === 0 ? 0 : 1;
      },
    },
  ];
}

/** `eksops logs …` commands. */
export const LOGS_COMMANDS: readonly Command[] = logsCommands(PRODUCTION);
