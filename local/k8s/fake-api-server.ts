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
 * A loopback HTTPS Kubernetes API server that stands for an EKS cluster's, for tests and the sandbox: a small
 * object store behind a certificate signed by its own CA (made with the openssl CLI at start, like EKS's
 * `certificateAuthority`). It lists policy/v1 PodDisruptionBudgets, v1 nodes and pods, apps/v1 deployments and
 * daemonsets and apiextensions.k8s.io/v1 CustomResourceDefinitions at their real paths (all namespaces, or one)
 * with `limit`/`continue` paging as the API server does, serves `/metrics` as text, and implements what a drain
 * writes: a merge patch of a node (cordon) and the policy/v1 Eviction subresource of a pod, which honours the
 * PodDisruptionBudgets selecting it. It authenticates like EKS: see eks-token-verifier.ts for what it can and
 * cannot verify of a token.
 */
export interface FakeKubernetesApiOptions {
  clusterName: string;
  /** The signer's credentials: given, each token's signature (and so its cluster name) is recomputed and checked. */
  credentials?: AwsCredentialIdentity;
  /** For the token's 15-minute validity; the sandbox passes its virtual clock. */
  clock?: Clock;
  podDisruptionBudgets?: PodDisruptionBudget[];
  /** Nodes, pods, deployments, daemonsets and CRDs, as the API returns them (apiVersion and kind are added when listed). */
  objects?: FakeKubernetesObjects;
  /** The body of GET /metrics (Prometheus text format). Without it, /metrics is 404. */
  metricsText?: string;
  /** The openssl command. Default: `openssl` on the PATH. */
  openssl?: string;
}

export interface FakeKubernetesObjects {
  nodes?: unknown[];
  pods?: unknown[];
  deployments?: unknown[];
  daemonsets?: unknown[];
  customResourceDefinitions?: unknown[];
}

type ObjectKind = keyof FakeKubernetesObjects;

/** Where each kind is served, what its list is called, and whether it lives in a namespace. */
const KINDS: Record<ObjectKind, { group: string; resource: string; apiVersion: string; kind: string; namespaced: boolean }> = {
  nodes: { group: '/api/v1', resource: 'nodes', apiVersion: 'v1', kind: 'Node', namespaced: false },
  pods: { group: '/api/v1', resource: 'pods', apiVersion: 'v1', kind: 'Pod', namespaced: true },
  deployments: { group: '/apis/apps/v1', resource: 'deployments', apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true },
  daemonsets: { group: '/apis/apps/v1', resource: 'daemonsets', apiVersion: 'apps/v1', kind: 'DaemonSet', namespaced: true },
  customResourceDefinitions: { group: '/apis/apiextensions.k8s.io/v1', resource: 'customresourcedefinitions', apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', namespaced: false },
};
const OBJECT_KINDS = Object.keys(KINDS) as ObjectKind[];

// The Eviction API's answers (k8s.io/kubernetes pkg/registry/core/pod/storage/eviction.go).
const EVICTION_BLOCKED = "Cannot evict pod as it would violate the pod's disruption budget.";
const EVICTION_MULTIPLE_PDBS = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

export interface FakeKubernetesRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** The parsed JSON body of a PATCH or POST. */
  body?: unknown;
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

/** A Ready v1 Node of an EC2 instance (its providerID, as the AWS cloud provider sets it). */
export function kubernetesNode(name: string, zone: string, instanceId: string) {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: { providerID: `aws:///${zone}/${instanceId}` }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
}

/** A Running v1 Pod on a node, owned by a controller (a ReplicaSet unless said: `DaemonSet` pods are not evicted by a drain). */
export function kubernetesPod(namespace: string, name: string, nodeName: string, options: { labels?: Record<string, string>; owner?: string } = {}) {
  return {
    metadata: { namespace, name, labels: options.labels ?? { app: name.replace(/-[^-]+$/, '') }, ownerReferences: [{ apiVersion: 'apps/v1', kind: options.owner ?? 'ReplicaSet', name: `${name}-owner`, controller: true }] },
    spec: { nodeName, containers: [{ name: 'main', image: 'public.ecr.aws/nginx/nginx:1.27' }] },
    status: { phase: 'Running' },
  };
}

const keyOf = (pdb: PodDisruptionBudget) => `${pdb.metadata.namespace}/${pdb.metadata.name}`;

interface StoredMetadata {
  namespace?: string;
  name?: string;
  labels?: Record<string, string>;
}
const metadataOf = (object: unknown): StoredMetadata => ((typeof object === 'object' && object !== null && 'metadata' in object ? object.metadata : undefined) as StoredMetadata | undefined) ?? {};
const objectKey = (object: unknown) => `${metadataOf(object).namespace ?? ''}/${metadataOf(object).name ?? ''}`;
const byKey = (a: unknown, b: unknown) => (objectKey(a) < objectKey(b) ? -1 : objectKey(a) > objectKey(b) ? 1 : 0);

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** A label selector (matchLabels and matchExpressions) against a pod's labels; policy/v1: an empty selector selects every pod. */
function selects(selector: PodDisruptionBudget['spec']['selector'], labels: Record<string, string>): boolean {
  if (selector === undefined || selector === null) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((expression) => {
    const value = labels[expression.key];
    switch (expression.operator) {
      case 'In':
        return value !== undefined && (expression.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(expression.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
  return byLabels && byExpressions;
}

/** `spec.nodeName=ip-10-0-1-5.ec2.internal,metadata.namespace!=kube-system`: the field selectors the fake understands on pods. */
function fieldSelectorMatches(selector: string | null, object: unknown): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const match = /^([a-zA-Z.]+)(!=|==|=)(.*)$/.exec(term.trim());
    if (!match) return false;
    const [, field = '', operator, wanted] = match;
    let value: unknown = object;
    for (const part of field.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    const actual = typeof value === 'string' ? value : '';
    return operator === '!=' ? actual !== wanted : actual === wanted;
  });
}

export class FakeKubernetesApi {
  readonly requests: FakeKubernetesRequest[] = [];
  readonly #options: FakeKubernetesApiOptions;
  readonly #clock: Clock;
  #pdbs: PodDisruptionBudget[] = [];
  readonly #objects: Record<ObjectKind, unknown[]> = { nodes: [], pods: [], deployments: [], daemonsets: [], customResourceDefinitions: [] };
  #metricsText: string | undefined;
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
    this.setObjects(options.objects ?? {});
    this.#metricsText = options.metricsText;
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

  /** Replaces the objects of each kind given (the kinds not given stay as they are). */
  setObjects(objects: FakeKubernetesObjects): void {
    for (const kind of OBJECT_KINDS) {
      const items = objects[kind];
      if (items) this.#objects[kind] = structuredClone(items).sort(byKey);
    }
    this.#resourceVersion += 1;
  }

  /** What the store holds now (copies): what a drain left, for tests to assert on. */
  objects(): Required<FakeKubernetesObjects> {
    return structuredClone(this.#objects);
  }

  /** The PodDisruptionBudgets as they are now (evictions decrement their disruptionsAllowed). */
  podDisruptionBudgets(): PodDisruptionBudget[] {
    return structuredClone(this.#pdbs);
  }

  setMetricsText(text: string | undefined): void {
    this.#metricsText = text;
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
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => this.#route(record, url, request.headers['content-type'], Buffer.concat(chunks).toString('utf8'), answer));
  }

  #route(record: FakeKubernetesRequest, url: URL, contentType: string | undefined, text: string, answer: (code: number, body: string, contentType?: string) => void): void {
    const notFound = () => answer(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text) as unknown;
        record.body = body;
      } catch {
        return answer(400, status(400, 'BadRequest', 'the request body is not JSON'));
      }
    }
    const path = url.pathname;
    if (record.method === 'POST') {
      const eviction = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(path);
      return eviction ? this.#evict(decodeURIComponent(eviction[1] ?? ''), decodeURIComponent(eviction[2] ?? ''), body, answer) : answer(405, status(405, 'MethodNotAllowed', `POST ${path} is not supported by this fake`));
    }
    if (record.method === 'PATCH') {
      const node = /^\/api\/v1\/nodes\/([^/]+)$/.exec(path);
      if (!node) return answer(405, status(405, 'MethodNotAllowed', `PATCH ${path} is not supported by this fake`));
      return this.#patchNode(decodeURIComponent(node[1] ?? ''), contentType, body, answer);
    }
    if (record.method !== 'GET') return answer(405, status(405, 'MethodNotAllowed', `${record.method} is not supported by this fake`));

    if (path === '/metrics') return this.#metricsText === undefined ? notFound() : answer(200, this.#metricsText, 'text/plain; version=0.0.4; charset=utf-8');
    const match = /^\/apis\/policy\/v1\/(?:namespaces\/([^/]+)\/)?poddisruptionbudgets$/.exec(path);
    if (match) {
      const namespace = match[1];
      const selected = namespace === undefined ? this.#pdbs : this.#pdbs.filter((pdb) => pdb.metadata.namespace === namespace);
      return this.#list(selected, url.searchParams, answer, { kind: 'PodDisruptionBudgetList', apiVersion: 'policy/v1', itemKind: 'PodDisruptionBudget' });
    }
    for (const kind of OBJECT_KINDS) {
      const served = KINDS[kind];
      const pattern = served.namespaced ? new RegExp(`^${served.group}/(?:namespaces/([^/]+)/)?${served.resource}(?:/([^/]+))?$`) : new RegExp(`^${served.group}/${served.resource}()(?:/([^/]+))?$`);
      const found = pattern.exec(path);
      if (!found) continue;
      const namespace = found[1] ? decodeURIComponent(found[1]) : undefined;
      const name = found[2] ? decodeURIComponent(found[2]) : undefined;
      const inScope = this.#objects[kind].filter((object) => namespace === undefined || metadataOf(object).namespace === namespace);
      if (name !== undefined) {
        // One object: by name, in its namespace (a namespaced kind needs one).
        if (served.namespaced && namespace === undefined) return notFound();
        const object = inScope.find((candidate) => metadataOf(candidate).name === name);
        return object ? answer(200, JSON.stringify({ apiVersion: served.apiVersion, kind: served.kind, ...(object as object) })) : answer(404, status(404, 'NotFound', `${served.resource} "${name}" not found`));
      }
      const selected = inScope.filter((object) => fieldSelectorMatches(url.searchParams.get('fieldSelector'), object));
      return this.#list(selected, url.searchParams, answer, { kind: `${served.kind}List`, apiVersion: served.apiVersion, itemKind: served.kind });
    }
    return notFound();
  }

  /** Cordon and friends: a JSON merge patch (or a strategic merge patch, which is the same for a node's scalar fields). */
  #patchNode(name: string, contentType: string | undefined, patch: unknown, answer: (code: number, body: string) => void): void {
    const type = (contentType ?? '').split(';')[0]?.trim();
    if (type !== 'application/merge-patch+json' && type !== 'application/strategic-merge-patch+json') {
      return answer(415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json (got ${type ?? 'none'})`));
    }
    const index = this.#objects.nodes.findIndex((node) => metadataOf(node).name === name);
    if (index < 0) return answer(404, status(404, 'NotFound', `nodes "${name}" not found`));
    const patched = mergePatch(this.#objects.nodes[index], patch);
    this.#objects.nodes[index] = patched;
    this.#resourceVersion += 1;
    answer(200, JSON.stringify({ apiVersion: 'v1', kind: 'Node', ...(patched as object) }));
  }

  /**
   * policy/v1 Eviction: 404 for an unknown pod; 429 when a PodDisruptionBudget selecting the pod allows no
   * disruption now; 500 when more than one selects it (the API server refuses to choose); otherwise the pod is
   * deleted and its budget's disruptionsAllowed goes down by one, as the disruption controller would report.
   */
  #evict(namespace: string, name: string, body: unknown, answer: (code: number, body: string) => void): void {
    const eviction = (body ?? {}) as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    if (eviction.kind !== 'Eviction' || (eviction.apiVersion !== 'policy/v1' && eviction.apiVersion !== 'policy/v1beta1')) return answer(400, status(400, 'BadRequest', 'the body must be a policy/v1 Eviction'));
    if (eviction.metadata?.name !== undefined && eviction.metadata.name !== name) return answer(400, status(400, 'BadRequest', `name in URL does not match name in Eviction object`));
    const index = this.#objects.pods.findIndex((pod) => metadataOf(pod).namespace === namespace && metadataOf(pod).name === name);
    if (index < 0) return answer(404, status(404, 'NotFound', `pods "${name}" not found`));
    const labels = metadataOf(this.#objects.pods[index]).labels ?? {};
    const budgets = this.#pdbs.filter((pdb) => pdb.metadata.namespace === namespace && selects(pdb.spec.selector, labels));
    if (budgets.length > 1) return answer(500, status(500, 'InternalError', EVICTION_MULTIPLE_PDBS));
    const budget = budgets[0];
    if (budget && (budget.status?.disruptionsAllowed ?? 0) <= 0) {
      return answer(429, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: EVICTION_BLOCKED, reason: 'TooManyRequests', details: { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${budget.metadata.name} needs ${budget.status?.desiredHealthy ?? 0} healthy pods and has ${budget.status?.currentHealthy ?? 0} currently` }] }, code: 429 }));
    }
    if (budget?.status) {
      budget.status.disruptionsAllowed = (budget.status.disruptionsAllowed ?? 0) - 1;
      budget.status.currentHealthy = Math.max(0, (budget.status.currentHealthy ?? 0) - 1);
    }
    this.#objects.pods.splice(index, 1);
    this.#resourceVersion += 1;
    answer(201, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }));
  }

  #list(selected: readonly unknown[], query: URLSearchParams, answer: (code: number, body: string) => void, shape: { kind: string; apiVersion: string; itemKind: string }): void {
    const limit = Number(query.get('limit') ?? '0');
    if (!Number.isInteger(limit) || limit < 0) return answer(400, status(400, 'BadRequest', `invalid limit ${query.get('limit')}`));
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
    const remaining = after === undefined ? selected : selected.filter((item) => objectKey(item) > after);
    const page = limit > 0 ? remaining.slice(0, limit) : remaining;
    const more = remaining.length > page.length;
    const last = page.at(-1);
    const metadata = {
      resourceVersion: String(this.#resourceVersion),
      ...(more && last !== undefined ? { continue: Buffer.from(JSON.stringify({ rv: this.#resourceVersion, start: objectKey(last) }), 'utf8').toString('base64url'), remainingItemCount: remaining.length - page.length } : {}),
    };
    answer(200, JSON.stringify({ kind: shape.kind, apiVersion: shape.apiVersion, metadata, items: page.map((item) => ({ apiVersion: shape.apiVersion, kind: shape.itemKind, ...(item as object) })) }));
  }
}
