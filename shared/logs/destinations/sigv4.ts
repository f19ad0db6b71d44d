import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { NodeSha256 } from '../../aws/node-sha256.ts';

/**
 * Signs a request with the function's role: Amazon OpenSearch Service (`es`), OpenSearch Serverless (`aoss`),
 * Amazon Data Firehose (`firehose`). Returns the headers to add.
 */
export function sigv4Signer(options: { region: string; service: string; credentials: () => Promise<AwsCredentialIdentity> }) {
  const signer = new SignatureV4({ service: options.service, region: options.region, credentials: options.credentials, sha256: NodeSha256 });
  return async (request: { url: string; body: string | Uint8Array; headers: Record<string, string> }): Promise<Record<string, string>> => {
    const url = new URL(request.url);
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      headers: { ...request.headers, host: url.host },
      body: request.body,
    });
    const { host: _host, ...headers } = signed.headers;
    return headers;
  };
}
