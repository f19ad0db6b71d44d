import { request as httpsRequest } from 'node:https';
import type { Clock } from '../time/clock.ts';
import { type CredentialsInput, type EksToken, eksToken } from './eks-token.ts';

/**
 * A minimal Kubernetes API client for an EKS cluster: GET a path (JSON or text back), PATCH and POST JSON, over HTTPS that trusts only
 * the cluster's own CA, authenticated with an EKS token of eksops's role. node:https because Node's global fetch
 * cannot be given a CA without the undici package.
 */

export interface KubernetesClientOptions {
  clusterName: string;
  region: string;
  /** `cluster.endpoint` from DescribeCluster: `https://<id>.<zone>.<region>.eks.amazonaws.com`. */
  endpoint: string;
  /** `cluster.certificateAuthority.data` from DescribeCluster: the cluster CA as base64 of its PEM. */
  certificateAuthorityData: string;
  credentials: CredentialsInput;
  clock: Clock;
  /** Per request, connection included. Default 10 s. */
  timeoutMs?: number;
}

/** The part of DescribeCluster's `cluster` the client needs (the SDK's `Cluster` type fits). */
export interface EksClusterConnection {
  name?: string | undefined;
  endpoint?: string | undefined;
  certificateAuthority?: { data?: string | undefined } | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** A list page; the API server's own default is unbounded, kubectl uses 500. */
export const DEFAULT_PAGE_SIZE = 500;
/** Beyond this a list is cut (and says so): a pre-flight check does not need more, and a Lambda has little memory. */
export const DEFAULT_MAX_ITEMS = 5_000;
/** One response body at most; a 500-item page of PDBs is well under 1 MiB. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const READ_ACCESS_REMEDY =
  'associate the AmazonEKSViewPolicy access policy (cluster scope) with that access entry, or bind a ClusterRole allowing get and list on poddisruptionbudgets in the policy API group to a Kubernetes group of the access entry';

// The node drain (shared/upgrade/drain) writes: cordon and eviction are not in AmazonEKSViewPolicy.
const WRITE_ACCESS_REMEDY =
  'bind a ClusterRole allowing get, list and patch on nodes, list on pods and create on pods/eviction to a Kubernetes group of eksops\'s access entry (README, node drain)';

export class KubernetesClientError extends Error {
  override readonly name: string = 'KubernetesClientError';
  /** What a person should do about it. */
  readonly remedy: string;

  constructor(message: string, remedy: string, options?: { cause?: unknown }) {
    super(message, options);
    this.remedy = remedy;
  }
}

/** 401 (the cluster does not know eksops's role, or refused its token) or 403 (it knows it, RBAC says no). */
export class KubernetesAccessError extends KubernetesClientError {
  override readonly name = 'KubernetesAccessError';
  readonly status: 401 | 403;

  constructor(status: 401 | 403, path: string, serverMessage: string | undefined, method: HttpMethod = 'GET') {
    super(
      status === 401
        ? `the cluster API refused eksops's token (401 Unauthorized) for ${method} ${path}`
        : `the cluster API forbids eksops ${method} ${path} (403 Forbidden)${serverMessage ? `: ${serverMessage}` : ''}`,
      status === 401
        ? `create an EKS access entry for eksops's role (the cluster's authenticationMode must include API), then ${method === 'GET' ? READ_ACCESS_REMEDY : WRITE_ACCESS_REMEDY}; a 401 can also mean the clock of the caller is off by more than the token's 15 minutes`
        : method === 'GET'
          ? READ_ACCESS_REMEDY
          : WRITE_ACCESS_REMEDY,
    );
    this.status = status;
  }
}

/** Any other non-2xx answer; `reason` is the Kubernetes Status reason when the body had one. */
export class KubernetesStatusError extends KubernetesClientError {
  override readonly name = 'KubernetesStatusError';
  readonly status: number;
  readonly reason: string | undefined;

  constructor(status: number, path: string, reason: string | undefined, serverMessage: string | undefined, method: HttpMethod = 'GET') {
    super(`the cluster API answered ${status}${reason ? ` ${reason}` : ''} to ${method} ${path}${serverMessage ? `: ${serverMessage}` : ''}`, status >= 500 || status === 429 || status === 410 ? 'the API server is busy, failing or compacted the list under way: the next pre-flight retries' : 'report this to the eksops maintainers with the message');
    this.status = status;
    this.reason = reason;
  }
}

/** A 2xx answer that is not the JSON asked for (a proxy's HTML page, a truncated body). */
export class KubernetesResponseFormatError extends KubernetesClientError {
  override readonly name = 'KubernetesResponseFormatError';
  constructor(path: string, detail: string, method: HttpMethod = 'GET') {
    super(`the cluster API answer to ${method} ${path} is not the expected JSON: ${detail}`, 'check that the endpoint is the cluster API server and not a proxy');
  }
}

export class KubernetesTimeoutError extends KubernetesClientError {
  override readonly name = 'KubernetesTimeoutError';
  constructor(path: string, timeoutMs: number, method: HttpMethod = 'GET') {
    super(`the cluster API did not answer ${method} ${path} within ${timeoutMs} ms`, 'if the cluster endpoint is private, run eksops in a subnet that reaches it (Lambda VpcConfig) or enable public access for eksops\'s address (publicAccessCidrs); otherwise the next pre-flight retries');
  }
}

/** The server's certificate does not chain to the cluster CA (or the CA data is not a certificate). */
export class KubernetesTlsError extends KubernetesClientError {
  override readonly name = 'KubernetesTlsError';
  readonly code: string | undefined;
  constructor(detail: string, code: string | undefined, cause?: unknown) {
    super(`TLS with the cluster API failed: ${detail}`, 'the endpoint did not prove it is the cluster: check that endpoint and certificateAuthority.data come from the same DescribeCluster answer, and that nothing intercepts TLS on the way', { cause });
    this.code = code;
  }
}

/** No connection at all (refused, no route, DNS). */
export class KubernetesUnreachableError extends KubernetesClientError {
  override readonly name = 'KubernetesUnreachableError';
  constructor(endpoint: string, detail: string, cause?: unknown) {
    super(`cannot connect to the cluster API at ${endpoint}: ${detail}`, 'if the cluster endpoint is private, run eksops in a subnet that reaches it (Lambda VpcConfig); if it is public with publicAccessCidrs, allow eksops\'s egress address', { cause });
  }
}

/** DescribeCluster gave no endpoint or CA yet (a cluster still CREATING). */
export class KubernetesEndpointMissingError extends KubernetesClientError {
  override readonly name = 'KubernetesEndpointMissingError';
  constructor(clusterName: string, missing: string) {
    super(`cluster ${clusterName} has no ${missing} in DescribeCluster`, 'wait until the cluster is ACTIVE');
  }
}

type HttpMethod = 'GET' | 'PATCH' | 'POST';
interface RequestBody {
  contentType: string;
  text: string;
}

const TLS_CODE = /CERT|SSL|TLS|UNABLE_TO_|SELF_SIGNED|HOSTNAME/;

export interface ListResult<T> {
  items: T[];
  /** True when the list was cut at `maxItems`: there are more objects than `items`. */
  truncated: boolean;
  maxItems: number;
}

export class KubernetesClient {
  readonly clusterName: string;
  readonly endpoint: URL;
  readonly #options: KubernetesClientOptions;
  readonly #ca: string;
  #token: EksToken | undefined;

  constructor(options: KubernetesClientOptions) {
    this.#options = options;
    this.clusterName = options.clusterName;
    let endpoint: URL;
    try {
      endpoint = new URL(options.endpoint);
    } catch {
      throw new KubernetesUnreachableError(options.endpoint, 'not a URL');
    }
    if (endpoint.protocol !== 'https:') throw new KubernetesUnreachableError(options.endpoint, 'the cluster API is only spoken to over https');
    this.endpoint = endpoint;
    this.#ca = Buffer.from(options.certificateAuthorityData, 'base64').toString('utf8');
    if (!this.#ca.includes('-----BEGIN CERTIFICATE-----')) throw new KubernetesTlsError('certificateAuthority.data is not a base64 PEM certificate', undefined);
  }

  /** The client for a cluster as DescribeCluster describes it. */
  static forEksCluster(cluster: EksClusterConnection, options: { region: string; credentials: CredentialsInput; clock: Clock; timeoutMs?: number }): KubernetesClient {
    const name = cluster.name ?? 'unknown';
    if (!cluster.endpoint) throw new KubernetesEndpointMissingError(name, 'endpoint');
    if (!cluster.certificateAuthority?.data) throw new KubernetesEndpointMissingError(name, 'certificateAuthority.data');
    return new KubernetesClient({ ...options, clusterName: name, endpoint: cluster.endpoint, certificateAuthorityData: cluster.certificateAuthority.data });
  }

  /** GET a path (with its query), parsed JSON back. */
  async get<T = unknown>(path: string, query: Record<string, string | number | undefined> = {}, signal?: AbortSignal): Promise<T> {
    return this.#json<T>('GET', path, query, undefined, signal);
  }

  /**
   * GET a path whose answer is text, not JSON (the API server's `/metrics`, Prometheus text format), as it came.
   * The same errors as `get` for a non-2xx answer.
   */
  async getText(path: string, query: Record<string, string | number | undefined> = {}, signal?: AbortSignal): Promise<string> {
    const url = this.#url(path, query);
    const { status, body } = await this.#send('GET', url, await this.#bearer(), undefined, signal, 'text/plain, */*');
    this.#check('GET', status, url.pathname, body);
    return body;
  }

  /**
   * PATCH an object. `merge` is a JSON merge patch (RFC 7386, `application/merge-patch+json`); `strategic` is
   * Kubernetes's strategic merge patch (`application/strategic-merge-patch+json`, built-in kinds only), which
   * merges lists by their patch key instead of replacing them. Both change only the fields the patch names.
   */
  async patch<T = unknown>(path: string, patch: unknown, options: { type?: 'merge' | 'strategic'; signal?: AbortSignal } = {}): Promise<T> {
    const contentType = options.type === 'strategic' ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json';
    return this.#json<T>('PATCH', path, {}, { contentType, text: JSON.stringify(patch) }, options.signal);
  }

  /** POST an object (a create, or a subresource such as a pod's `eviction`), parsed JSON back. */
  async post<T = unknown>(path: string, body: unknown, options: { signal?: AbortSignal } = {}): Promise<T> {
    return this.#json<T>('POST', path, {}, { contentType: 'application/json', text: JSON.stringify(body) }, options.signal);
  }

  async #json<T>(method: HttpMethod, path: string, query: Record<string, string | number | undefined>, body: RequestBody | undefined, signal: AbortSignal | undefined): Promise<T> {
    const url = this.#url(path, query);
    const { status, body: text, contentType } = await this.#send(method, url, await this.#bearer(), body, signal, 'application/json');
    const shown = url.pathname;
    this.#check(method, status, shown, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubernetesResponseFormatError(shown, `${contentType ?? 'no content type'}, ${JSON.stringify(text.slice(0, 80))}`, method);
    }
  }

  #url(path: string, query: Record<string, string | number | undefined>): URL {
    const url = new URL(path, this.endpoint);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  #check(method: HttpMethod, status: number, shown: string, body: string): void {
    if (status === 401 || status === 403) throw new KubernetesAccessError(status, shown, parseStatus(body).message, method);
    if (status < 200 || status > 299) {
      const parsed = parseStatus(body);
      throw new KubernetesStatusError(status, shown, parsed.reason, parsed.message, method);
    }
  }

  /**
   * Every item of a list, page by page (`limit` and `continue`, as kubectl does), cut at `maxItems`. The API server
   * serves the continuation pages from the snapshot of the first one, so the pages add up to one consistent list.
   */
  async list<T = unknown>(path: string, options: { pageSize?: number; maxItems?: number; signal?: AbortSignal } = {}): Promise<ListResult<T>> {
    const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
    const pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, maxItems));
    const items: T[] = [];
    let next: string | undefined;
    do {
      const page = await this.get<{ items?: unknown; metadata?: { continue?: unknown } }>(path, { limit: Math.min(pageSize, maxItems - items.length), continue: next }, options.signal);
      if (!Array.isArray(page?.items)) throw new KubernetesResponseFormatError(path, 'a list without items');
      items.push(...(page.items as T[]));
      next = typeof page.metadata?.continue === 'string' && page.metadata.continue !== '' ? page.metadata.continue : undefined;
    } while (next !== undefined && items.length < maxItems);
    return { items: items.slice(0, maxItems), truncated: next !== undefined || items.length > maxItems, maxItems };
  }

  async #bearer(): Promise<string> {
    const now = this.#options.clock.now();
    if (!this.#token || now >= this.#token.refreshAt) {
      this.#token = await eksToken({ credentials: this.#options.credentials, region: this.#options.region, clusterName: this.clusterName, clock: this.#options.clock });
    }
    return this.#token.token;
  }

  #send(method: HttpMethod, url: URL, token: string, body: RequestBody | undefined, signal: AbortSignal | undefined, accept: string): Promise<{ status: number; body: string; contentType: string | undefined }> {
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Real time, not the clock: a socket waits in real time even when the sandbox runs on virtual time.
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const shown = url.pathname;
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method,
          ca: this.#ca,
          // A fresh agent per request: the CA is this cluster's alone, and no idle socket outlives the call.
          agent: false,
          signal: combined,
          headers: {
            authorization: `Bearer ${token}`,
            accept,
            'user-agent': 'eksops',
            ...(body ? { 'content-type': body.contentType, 'content-length': String(Buffer.byteLength(body.text)) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              req.destroy();
              reject(new KubernetesResponseFormatError(shown, `more than ${MAX_BODY_BYTES} bytes`, method));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: res.headers['content-type'] }));
          res.on('error', (error) => reject(this.#failure(error, shown, timeout, timeoutMs, method)));
        },
      );
      req.on('error', (error) => reject(this.#failure(error, shown, timeout, timeoutMs, method)));
      req.end(body?.text);
    });
  }

  #failure(error: Error & { code?: string }, path: string, timeout: AbortSignal, timeoutMs: number, method: HttpMethod): Error {
    if (timeout.aborted) return new KubernetesTimeoutError(path, timeoutMs, method);
    if (error.name === 'AbortError') return error;
    const code = error.code;
    if (code !== undefined && TLS_CODE.test(code)) return new KubernetesTlsError(`${code}: ${error.message}`, code, error);
    return new KubernetesUnreachableError(this.endpoint.origin, code ? `${code}: ${error.message}` : error.message, error);
  }
}

/** A Kubernetes `Status` body's reason and message, when the body is one. */
function parseStatus(body: string): { reason?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as { kind?: unknown; reason?: unknown; message?: unknown };
    return {
      ...(typeof parsed.reason === 'string' ? { reason: parsed.reason } : {}),
      ...(typeof parsed.message === 'string' ? { message: parsed.message.slice(0, 300) } : {}),
    };
  } catch {
    return {};
  }
}

/** The policy/v1 PodDisruptionBudget fields eksops reads (the API object has more). */
export interface PodDisruptionBudget {
  metadata: { namespace: string; name: string };
  spec: {
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | null;
    /** `IfHealthyBudget` (the default) or `AlwaysAllow` (Kubernetes 1.26+). */
    unhealthyPodEvictionPolicy?: string;
  };
  status?: {
    disruptionsAllowed?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    expectedPods?: number;
    observedGeneration?: number;
  };
}

export const PDB_LIST_PATH = '/apis/policy/v1/poddisruptionbudgets';

/** Every PodDisruptionBudget of the cluster, all namespaces (needs list on poddisruptionbudgets.policy at cluster scope). */
export async function listPodDisruptionBudgets(client: KubernetesClient, options: { pageSize?: number; maxItems?: number; signal?: AbortSignal } = {}): Promise<ListResult<PodDisruptionBudget>> {
  return client.list<PodDisruptionBudget>(PDB_LIST_PATH, options);
}
