import { gunzipSync } from 'node:zlib';

/**
 * The least any forwarder must do with a payload: gunzip, JSON.parse the payload, JSON.parse each audit
 * message, and serialize one NDJSON line per event. Nothing else: no classification, filter, redaction,
 * batching or HTTP.
 */
export function floorWork(event: { awslogs: { data: string } }, audit: boolean): number {
  const payload = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as { logEvents: { id: string; timestamp: number; message: string }[] };
  let body = '';
  for (const logEvent of payload.logEvents) {
    const line = audit ? JSON.stringify({ id: logEvent.id, timestamp: logEvent.timestamp, audit: JSON.parse(logEvent.message) as unknown }) : JSON.stringify(logEvent);
    body += `${line}\n`;
  }
  return body.length;
}
