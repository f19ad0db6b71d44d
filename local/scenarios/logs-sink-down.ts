import { gunzipSync } from 'node:zlib';
import { makeHandler as logReplay } from '../../functions/log-replay/app.ts';
import { lambdaLogicalId } from '../lambda/runtime.ts';
import { functionEnvironment } from '../template/function-environment.ts';
import { sampleLines } from './logs-samples.ts';
import { failureObjects, startLogSink, subscribedCluster, withLogShipping, writeControlPlaneLines } from './logs-setup.ts';
import type { Scenario } from './scenario.ts';

/** The destination goes down: events land in the failure store; it comes back; replay delivers them. */
export const logsSinkDown: Scenario = {
  name: 'logs-sink-down',
  title: 'The log destination goes down: events wait in the failure store, and replay delivers them once it is back',
  sandbox: { configure: (config) => ({ ...withLogShipping(config), logs: { ...withLogShipping(config).logs, replaySchedule: 'rate(1 hour)' } }) },
  async run(context) {
    const { sandbox, step, check } = context;
    const here = sandbox.aws.here;
    const sink = await startLogSink(sandbox);
    const replayEnv = functionEnvironment(sandbox.template, lambdaLogicalId('logReplay'), here);
    sandbox.lambda.register('logReplay', logReplay({ ...sandbox.deps, config: { ...sandbox.config, logs: { ...sandbox.config.logs, destinations: [{ name: 'central', type: 'http', url: `${sink.url}/ingest`, gzip: true }] } }, env: replayEnv }));
    try {
      const logGroup = subscribedCluster(sandbox, 'prod-eu');
      const lines = [...sampleLines('kube-controller-manager.log'), ...sampleLines('kube-scheduler.log')];

      step('the destination stops answering (connections refused)');
      await sink.goDown();
      await writeControlPlaneLines(context, logGroup, 'kube-scheduler-6b1f0c3e', lines);
      const stored = [...failureObjects(sandbox).values()].flatMap((body) => gunzipSync(body).toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as { destination: string; reason: string; attempts: number }));
      check('the invocation succeeded: the events are in the failure store, not lost', sandbox.lambda.failedAsync.length === 0 && stored.length === lines.length);
      check('each stored record names its destination, the reason and the attempts', stored.every((entry) => entry.destination === 'central' && /ECONNREFUSED|network error/.test(entry.reason) && entry.attempts >= 1));

      step('the destination is back; the scheduled replay runs');
      await sink.comeUp();
      await sandbox.lambda.invokeAsync('logReplay', { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} });
      check('replay delivered every stored event', sink.records().length === lines.length);
      check('the failure store is empty again', failureObjects(sandbox).size === 0);
    } finally {
      await sink.close();
    }
  },
};
