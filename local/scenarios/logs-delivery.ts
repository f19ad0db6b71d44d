import { NODE_GET, sampleLines } from './logs-samples.ts';
import { startLogSink, subscribedCluster, withLogShipping, writeControlPlaneLines } from './logs-setup.ts';
import type { Scenario } from './scenario.ts';

interface ShippedRecord {
  id: string;
  cluster: string;
  logType: string;
  verb?: string;
  level?: string;
  source?: string;
  redacted?: string[];
}

/** Mixed control-plane batches reach an HTTP NDJSON destination as normalized, redacted records. */
export const logsDelivery: Scenario = {
  name: 'logs-delivery',
  title: 'Mixed control-plane log batches reach the HTTP destination as normalized, redacted records',
  sandbox: { configure: withLogShipping },
  async run(context) {
    const { sandbox, step, check } = context;
    const sink = await startLogSink(sandbox);
    try {
      const logGroup = subscribedCluster(sandbox, 'prod-eu');
      const audit = sampleLines('kube-apiserver-audit.log');

      step(`EKS writes audit (${audit.length} + 1 node read), authenticator, apiserver and scheduler lines to ${logGroup}`);
      await writeControlPlaneLines(context, logGroup, 'kube-apiserver-audit-6b1f0c3e', [...audit, NODE_GET]);
      await writeControlPlaneLines(context, logGroup, 'authenticator-6b1f0c3e', sampleLines('authenticator.log'));
      await writeControlPlaneLines(context, logGroup, 'kube-apiserver-6b1f0c3e', sampleLines('kube-apiserver.log'));
      await writeControlPlaneLines(context, logGroup, 'kube-scheduler-6b1f0c3e', sampleLines('kube-scheduler.log'));

      const records = sink.records() as ShippedRecord[];
      const types = records.map((record) => record.logType).sort();
      check('every event but the node read reached the sink, once', records.length === audit.length + 2 + 1 + 2 && new Set(records.map((record) => record.id)).size === records.length);
      check('each record carries its cluster and log type', records.every((record) => record.cluster === 'prod-eu') && JSON.stringify([...new Set(types)]) === JSON.stringify(['api', 'audit', 'authenticator', 'scheduler']));
      check('audit records have their verb lifted; klog records their severity and source', records.some((record) => record.verb === 'create') && records.some((record) => record.level === 'INFO' && record.source === 'scheduler.go:604'));
      check("the Secret's data and the access key id are redacted", !sink.accepted.some((request) => /c3VwZXItc2VjcmV0|AKIAIOSFODNN7EXAMPLE/.test(request.body)) && records.filter((record) => record.redacted).length === 2);
      check('the bodies were sent gzip-compressed as NDJSON', sink.accepted.every((request) => request.headers['content-encoding'] === 'gzip' && request.headers['content-type'] === 'application/x-ndjson'));
    } finally {
      await sink.close();
    }
  },
};
