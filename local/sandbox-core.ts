import path from 'node:path';
import { loadConfigFile } from '../shared/config/load.ts';
import type { Config } from '../shared/config/schema.ts';
import { defaultFetch, type Fetch } from '../shared/http/fetch.ts';
import { configuredNotifier } from '../shared/notify/configured-notifier.ts';
import type { FunctionDeps } from '../shared/runtime/deps.ts';
import { createInMemoryAws, type InMemoryAws, type RegisterServices } from './account/in-memory-aws.ts';
import { startDynalite } from './dynamodb/dynalite.ts';
import { LocalEventBus } from './eventbus/bus.ts';
import { type LambdaHandler, LocalLambdaRuntime, lambdaLogicalId } from './lambda/runtime.ts';
import { functionEnvironment, queueUrl } from './template/function-environment.ts';
import { RESPONSE_URL_PREFIX, SlackSink } from './sinks/slack-sink.ts';
import type { StateMachineRunner } from './stepfunctions/runner.ts';
import { stateMachinesOf } from './stepfunctions/template-machines.ts';
import { type CloudFormationTemplate, compiledTemplate, PROJECT_ROOT } from './template/compiled-template.ts';

export const SANDBOX_CONFIG_FILE = path.join(PROJECT_ROOT, 'local', 'sandbox.config.yml');

export type SandboxAws = InMemoryAws;
export type SandboxDeps = FunctionDeps;

/**
 * What a capability brings to the sandbox: each function of its serverless/<capability>.functions.yml, built
 * with the sandbox's dependencies by the same `makeHandler` its deployed handler.ts calls, and the AWS services
 * it needs in the in-memory account. Its scenarios live above the sandbox, in local/scenarios/.
 */
export interface SandboxPlugin {
  functions: Record<string, (deps: SandboxDeps) => LambdaHandler>;
  services?: RegisterServices;
  /** Connects those services to the rest of the sandbox once it runs (e.g. log subscriptions → Lambda, the
   * tables of the template); the sandbox starts once every plugin's connect has resolved. */
  connect?: (sandbox: Sandbox) => void | Promise<void>;
}

export interface Sandbox {
  aws: SandboxAws;
  slack: SlackSink;
  lambda: LocalLambdaRuntime;
  bus: LocalEventBus;
  /** The compiled state machines, by name, runnable on the sandbox's virtual clock. */
  stateMachines: Map<string, StateMachineRunner>;
  config: Config;
  template: CloudFormationTemplate;
  deps: SandboxDeps;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** Overrides of the sandbox configuration (local/sandbox.config.yml), e.g. `{ dryRun: true }`. */
  configure?: (config: Config) => Config;
  start?: string;
  log?: (line: string) => void;
}

/**
 * The product against an in-memory AWS account: the compiled template's rules and state machines, the
 * handlers of the plugins it is given, a loopback Slack, all on one virtual clock. local/sandbox.ts gives it
 * every capability's plugin.
 */
export async function startSandboxWith(plugins: readonly SandboxPlugin[], options: SandboxOptions = {}): Promise<Sandbox> {
  const template = await compiledTemplate(options.log ? { log: options.log } : {});
  const aws = createInMemoryAws({ start: options.start ?? '2026-03-02T09:00:00Z', services: plugins.flatMap((plugin) => (plugin.services ? [plugin.services] : [])) });
  const slack = new SlackSink({ clock: aws.clock });
  await slack.start();
  const dynamodb = await startDynalite();
  aws.account.useLoopbackEndpoint('DynamoDBClient', dynamodb.endpoint);
  const loaded = await loadConfigFile(SANDBOX_CONFIG_FILE);
  const config = options.configure ? options.configure(loaded) : loaded;
  const slackSecret = config.notify.slack?.secret;
  if (slackSecret && 'ssmParameter' in slackSecret) aws.services.ssm.seedParameter(aws.here, slackSecret.ssmParameter, slack.webhookUrl, 'SecureString');
  const fetch = slackRoutedFetch(slack);
  const deps: SandboxDeps = {
    config,
    clients: aws.clients,
    clock: aws.clock,
    fetch,
    env: {},
    notifier: configuredNotifier(config.notify.slack, { clients: aws.clients, fetch, clock: aws.clock }),
  };
  // The template's queues (the failure queue), as CloudFormation creates them, at the URL their Ref gives.
  for (const [logicalId, resource] of Object.entries(template.Resources)) if (resource.Type === 'AWS::SQS::Queue') aws.services.sqs.createQueue(queueUrl(template, logicalId, aws.here));
  const lambda = new LocalLambdaRuntime({ template, clock: aws.clock, region: aws.here.region, accountId: aws.here.accountId });
  for (const [name, build] of plugins.flatMap((plugin) => Object.entries(plugin.functions))) {
    lambda.register(name, build({ ...deps, env: functionEnvironment(template, lambdaLogicalId(name), aws.here) }));
  }
  const bus = new LocalEventBus({ template, lambda, clock: aws.clock, account: aws.here.accountId, region: aws.here.region });
  const stateMachines = stateMachinesOf(template, lambda, aws.clock, aws.here);
  const sandbox: Sandbox = {
    aws,
    slack,
    lambda,
    bus,
    stateMachines,
    config,
    template,
    deps,
    close: async () => {
      await Promise.all([slack.close(), dynamodb.close()]);
    },
  };
  for (const plugin of plugins) await plugin.connect?.(sandbox);
  return sandbox;
}

/** The sandbox's outbound HTTP: Slack's response_url host (hooks.slack.com/actions/…) answers from the Slack sink. */
function slackRoutedFetch(slack: SlackSink): Fetch {
  return (input, init) => {
    const url = new URL(input);
    if (url.origin === 'https://hooks.slack.com' && url.pathname.startsWith(RESPONSE_URL_PREFIX)) return defaultFetch(`${slack.baseUrl}${url.pathname}`, init);
    return defaultFetch(input, init);
  };
}
