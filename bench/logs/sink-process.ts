// A loopback log destination in a process of its own, so that its CPU is not counted as the forwarder's:
// accepts NDJSON and _bulk bodies (gzip or not), answers 200 with what each client expects, and reports
// its port on stdout.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let received = 0;
const server = createServer((request, response) => {
  request.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    // A _bulk answer without errors; the blueprint reads `items`.
    response.end(request.url?.startsWith('/_bulk') ? '{"took":1,"errors":false,"items":[]}' : '{}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('message', () => {
  process.send?.({ received });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
