import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { PodDisruptionBudget } from '../../shared/k8s/client.ts';
import { type Clock, systemClock } from '../../shared/time/clock.ts';
import { verifyEksToken } from './eks-token-verifier.ts';

const run = promisify(execFile);

/**
 * A loopback HTTPS Kubernetes API server that stands for an EKS cluster's, for tests and the sandbox. It serves
 * policy/v1 PodDisruptionBudgets (all namespaces, or one) with `limit`/`continue` paging as the API server does,
 * behind a certificate signed by its own CA (made with the openssl CLI at start, like EKS's `certificateAuthority`).
 * It authenticates like EKS: see eks-token-verifier.ts for what it can and cannot verify of a token.
 */
export interface FakeKubernetesApiOptions {
  clusterName: string;
  /** The signer's credentials: given, each token's signature (and so its cluster name) is recomputed and checked. */
  credentials?: AwsCredentialIdentity;
  /** For the token's 15-minute validity; the sandbox passes its virtual clock. */
  clock?: Clock;
  podDisruptionBudgets?: PodDisruptionBudget[];
  /** The openssl command. Default: `openssl` on the PATH. */
  openssl?: string;
}

export interface FakeKubernetesRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Why a 401 was answered. */
  rejection?: string;
}

type Mode = { kind: 'serve' } | { kind: 'forbidden' } | { kind: 'answer'; status: number; contentType: string; body: string };

export class OpensslMissingError extends Error {
  override readonly name = 'OpensslMissingError';
}

interface Certificates {
  caPem: string;
  keyPem: string;
  certPem: string;
}

/** A CA (CN=kubernetes, as EKS names it) and a server certificate it signs for 127.0.0.1 and localhost. */
async function makeCertificates(openssl: string): Promise<Certificates> {
  try {
    await run(openssl, ['version']);
  } catch (error) {
    throw new OpensslMissingError(`the fake Kubernetes API server makes its TLS certificate with the openssl CLI, which could not run (${(error as Error).message}): install openssl (apt-get install openssl, brew install openssl)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'eksops-fake-kube-'));
  try {
    const path = (name: string) => join(dir, name);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await run(openssl, ['req', '-x509', ...ec, '-keyout', path('ca.key'), '-out', path('ca.crt'), '-days', '2', '-subj', '/CN=kubernetes']);
    await run(openssl, ['req', ...ec, '-keyout', path('server.key'), '-out', path('server.csr'), '-subj', '/CN=kube-apiserver']);
    await writeFile(path('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    await run(openssl, ['x509', '-req', '-in', path('server.csr'), '-CA', path('ca.crt'), '-CAkey', path('ca.key'), '-CAcreateserial', '-out', path('server.crt'), '-days', '2', '-extfile', path('server.ext')]);
    const [caPem, keyPem, certPem] = await Promise.all([readFile(path('ca.crt'), 'utf8'), readFile(path('server.key'), 'utf8'), readFile(path('server.crt'), 'utf8')]);
    return { caPem, keyPem, certPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function status(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

/** A policy/v1 PodDisruptionBudget object to seed the server with. */
export function podDisruptionBudget(options: {
  namespace: string;
  name: string;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  matchLabels?: Record<string, string>;
  unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
  status: { disruptionsAllowed: number; currentHealthy: number; desiredHealthy: number; expectedPods: number };
}): PodDisruptionBudget {
  return {
    metadata: { namespace: options.namespace, name: options.name },
    spec: {
      ...(options.minAvailable !== undefined ? { minAvailable: options.minAvailable } : {}),
      ...(options.maxUnavailable !== undefined ? { maxUnavailable: options.maxUnavailable } : {}),
      selector: { matchLabels: options.matchLabels ?? { app: options.name } },
      ...(options.unhealthyPodEvictionPolicy ? { unhealthyPodEvictionPolicy: options.unhealthyPodEvictionPolicy } : {}),
    },
    status: { observedGeneration: 1, ...options.status },
  };
}

const keyOf = (pdb: PodDisruptionBudget) => `${pdb.metadata.namespace}/${pdb.metadata.name}`;

export class FakeKubernetesApi {
  readonly requests: FakeKubernetesRequest[] = [];
  readonly #options: FakeKubernetesApiOptions;
  readonly #clock: Clock;
  #pdbs: PodDisruptionBudget[] = [];
  #resourceVersion = 1000;
  #mode: Mode = { kind: 'serve' };
  #delayMs = 0;
  readonly #timers = new Set<NodeJS.Timeout>();
  #server: Server | undefined;
  #caPem = '';

  private constructor(options: FakeKubernetesApiOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.setPodDisruptionBudgets(options.podDisruptionBudgets ?? []);
  }

  static async start(options: FakeKubernetesApiOptions): Promise<FakeKubernetesApi> {
    const api = new FakeKubernetesApi(options);
    const certificates = await makeCertificates(options.openssl ?? 'openssl');
    api.#caPem = certificates.caPem;
    const server = createServer({ key: certificates.keyPem, cert: certificates.certPem }, (request, response) => api.#handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    api.#server = server;
    return api;
  }

  /** As DescribeCluster's `cluster.endpoint`. */
  get endpoint(): string {
    if (!this.#server) throw new Error('FakeKubernetesApi is not started');
    return `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** As DescribeCluster's `cluster.certificateAuthority.data`: base64 of the CA's PEM. */
  get certificateAuthorityData(): string {
    return Buffer.from(this.#caPem, 'utf8').toString('base64');
  }

  get clusterName(): string {
    return this.#options.clusterName;
  }

  setPodDisruptionBudgets(pdbs: PodDisruptionBudget[]): void {
    // The API server lists in etcd key order: namespace, then name.
    this.#pdbs = [...pdbs].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    this.#resourceVersion += 1;
  }

  /** Answer 403 to authenticated requests, as EKS does for a role whose access entry grants no read on PDBs. */
  forbid(forbidden = true): void {
    this.#mode = forbidden ? { kind: 'forbidden' } : { kind: 'serve' };
  }

  /** Answer every authenticated request with this (a proxy's HTML page, a 500), until `forbid(false)`/`serve()`. */
  answerWith(answer: { status: number; contentType: string; body: string }): void {
    this.#mode = { kind: 'answer', ...answer };
  }

  serve(): void {
    this.#mode = { kind: 'serve' };
  }

  /** Wait this long (real time) before answering. */
  slow(delayMs: number): void {
    this.#delayMs = delayMs;
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const record: FakeKubernetesRequest = { method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    this.requests.push(record);
    const answer = (code: number, body: string, contentType = 'application/json') => {
      record.status = code;
      const send = () => {
        if (!response.destroyed) response.writeHead(code, { 'content-type': contentType }).end(body);
      };
      if (this.#delayMs <= 0) return send();
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        send();
      }, this.#delayMs);
      this.#timers.add(timer);
      response.on('close', () => {
        clearTimeout(timer);
        this.#timers.delete(timer);
      });
    };

    const authorization = request.headers.authorization ?? '';
    const verdict = authorization.startsWith('Bearer ')
      ? verifyEksToken(authorization.slice('Bearer '.length), { clusterName: this.#options.clusterName, now: this.#clock.now(), ...(this.#options.credentials ? { credentials: this.#options.credentials } : {}) })
      : ({ ok: false, reason: 'no bearer token' } as const);
    if (!verdict.ok) {
      record.rejection = verdict.reason;
      return answer(401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    const user = `arn:aws:sts::111122223333:assumed-role/eksops/${verdict.accessKeyId}`;
    if (this.#mode.kind === 'forbidden') {
      return answer(403, status(403, 'Forbidden', `poddisruptionbudgets.policy is forbidden: User "${user}" cannot list resource "poddisruptionbudgets" in API group "policy" at the cluster scope`));
    }
    if (this.#mode.kind === 'answer') return answer(this.#mode.status, this.#mode.body, this.#mode.contentType);
    if (record.method !== 'GET') return answer(405, status(405, 'MethodNotAllowed', `${record.method} is not supported by this fake`));

    const match = /^\/apis\/policy\/v1\/(?:namespaces\/([^/]+)\/)?poddisruptionbudgets$/.exec(url.pathname);
    if (!match) return answer(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const namespace = match[1];
    this.#list(namespace, url.searchParams, answer);
  }

  #list(namespace: string | undefined, query: URLSearchParams, answer: (code: number, body: string) => void): void {
    const limit = Number(query.get('limit') ?? '0');
    if (!Number.isInteger(limit) || limit < 0) return answer(400, status(400, 'BadRequest', `invalid limit ${query.get('limit')}`));
    const selected = namespace === undefined ? this.#pdbs : this.#pdbs.filter((pdb) => pdb.metadata.namespace === namespace);
    // The continue token is opaque to clients; like the API server's, it carries the resource version and the last key.
    let after: string | undefined;
    const token = query.get('continue');
    if (token) {
      try {
        const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
        if (typeof decoded.start !== 'string' || typeof decoded.rv !== 'number') throw new Error('shape');
        if (decoded.rv !== this.#resourceVersion) return answer(410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'));
        after = decoded.start;
      } catch {
        return answer(400, status(400, 'BadRequest', 'continue key is not valid'));
      }
    }
    const remaining = after === undefined ? selected : selected.filter((pdb) => keyOf(pdb) > after);
    const page = limit > 0 ? remaining.slice(0, limit) : remaining;
    const more = remaining.length > page.length;
    const last = page.at(-1);
    const metadata = {
      resourceVersion: String(this.#resourceVersion),
      ...(more && last ? { continue: Buffer.from(JSON.stringify({ rv: this.#resourceVersion, start: keyOf(last) }), 'utf8').toString('base64url'), remainingItemCount: remaining.length - page.length } : {}),
    };
    answer(200, JSON.stringify({ kind: 'PodDisruptionBudgetList', apiVersion: 'policy/v1', metadata, items: page.map((pdb) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', ...pdb })) }));
  }
}
