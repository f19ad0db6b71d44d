import { S3Client } from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { AwsClientFactory } from '../../aws/client-factory.ts';
import type { Destination } from '../../config/sections/logs.ts';
import type { Fetch } from '../../http/fetch.ts';
import { type SecretReader, secretReaderFor } from '../../secrets/secret-reader.ts';
import type { SecretRef } from '../../secrets/secret-ref.ts';
import { datadogDestination } from './datadog-intake.ts';
import { firehoseDestination } from './firehose-batch.ts';
import type { LogDestination } from './destination.ts';
import { lokiPushDestination } from './loki-push.ts';
import { ndjsonHttpDestination } from './ndjson-http.ts';
import { openSearchBulkDestination } from './opensearch-bulk.ts';
import { s3ArchiveDestination } from './s3-archive.ts';
import { sigv4Signer } from './sigv4.ts';
import { splunkHecDestination } from './splunk-hec.ts';

export interface DestinationDeps {
  clients: AwsClientFactory;
  fetch: Fetch;
  /** Defaults to a reader over the factory's SSM and Secrets Manager clients (values cached 5 minutes). */
  secrets?: SecretReader;
  /** SigV4 credentials for OpenSearch; defaults to the function's role (the Node provider chain). */
  credentials?: () => Promise<AwsCredentialIdentity>;
}

/** The configured destinations as the delivery loop uses them; secrets are read at first send, not here. */
export function destinationsFromConfig(destinations: readonly Destination[], deps: DestinationDeps): LogDestination[] {
  const secrets = deps.secrets ?? secretReaderFor(deps.clients);
  const secret = (ref: SecretRef) => () => secrets.read(ref);
  return destinations.map((destination): LogDestination => {
    const routing = { name: destination.name, clusters: destination.clusters, logTypes: destination.logTypes };
    switch (destination.type) {
      case 'http':
        return ndjsonHttpDestination({ ...routing, url: destination.url, gzip: destination.gzip, fetch: deps.fetch, ...(destination.authorization ? { authorization: secret(destination.authorization) } : {}) });
      case 'splunk':
        return splunkHecDestination({ ...routing, url: destination.url, index: destination.index, token: secret(destination.token), fetch: deps.fetch });
      case 'opensearch': {
        const auth = destination.auth;
        const sign =
          auth.kind === 'basic'
            ? async () => ({ authorization: `Basic ${Buffer.from(`${auth.username}:${await secrets.read(auth.password)}`).toString('base64')}` })
            : sigv4Signer({ region: regionOfEndpoint(destination.url) ?? deps.clients.defaultRegion, service: auth.service, credentials: deps.credentials ?? fromNodeProviderChain() });
        return openSearchBulkDestination({ ...routing, url: destination.url, index: destination.index, sign, fetch: deps.fetch });
      }
      case 'loki':
        return lokiPushDestination({ ...routing, url: destination.url, tenant: destination.tenant, fetch: deps.fetch, ...(destination.authorization ? { authorization: secret(destination.authorization) } : {}) });
      case 'datadog':
        return datadogDestination({ ...routing, site: destination.site, apiKey: secret(destination.apiKey), fetch: deps.fetch });
      case 's3':
        return s3ArchiveDestination({ ...routing, bucket: destination.bucket, prefix: destination.prefix, s3: deps.clients.client(S3Client) });
      case 'firehose': {
        const region = deps.clients.defaultRegion;
        return firehoseDestination({
          ...routing,
          deliveryStream: destination.deliveryStream,
          endpoint: `https://firehose.${region}.amazonaws.com`,
          sign: sigv4Signer({ region, service: 'firehose', credentials: deps.credentials ?? fromNodeProviderChain() }),
          fetch: deps.fetch,
        });
      }
    }
  });
}

/** `search-x.eu-west-1.es.amazonaws.com` → eu-west-1. */
function regionOfEndpoint(url: string): string | undefined {
  return /\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.(?:es|aoss)\.amazonaws\.com$/.exec(new URL(url).hostname)?.[1];
}
