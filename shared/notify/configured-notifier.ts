import type { AwsClientFactory } from '../aws/client-factory.ts';
import type { Fetch } from '../http/fetch.ts';
import type { Clock } from '../time/clock.ts';
import { secretReaderFor } from '../secrets/secret-reader.ts';
import { type Notifier, silentNotifier } from './notifier.ts';
import type { SlackSettings } from './settings.ts';
import { createSlackNotifier, type NotifyLogger, slackTransportFor } from './slack-client.ts';

export interface NotifierDeps {
  clients: AwsClientFactory;
  fetch: Fetch;
  clock: Clock;
  logger?: NotifyLogger;
}

/**
 * The notifier the configuration asks for. The secret is read when the first message is sent, not at cold
 * start (no network at import), and kept by the secret reader's cache; the Slack client and its per-channel
 * rate limiter are built once and reused while the secret does not change.
 */
export function configuredNotifier(settings: SlackSettings | undefined, deps: NotifierDeps): Notifier {
  if (!settings) return silentNotifier;
  const secrets = secretReaderFor(deps.clients);
  let current: { secret: string; notifier: ReturnType<typeof createSlackNotifier> } | undefined;
  return {
    async send(notification) {
      const secret = await secrets.read(settings.secret);
      if (current?.secret !== secret) {
        current = {
          secret,
          notifier: createSlackNotifier({ transport: slackTransportFor(settings, secret), fetch: deps.fetch, clock: deps.clock, ...(deps.logger ? { logger: deps.logger } : {}) }),
        };
      }
      await current.notifier.send(notification);
    },
  };
}
