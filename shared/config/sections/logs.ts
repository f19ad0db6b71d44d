import * as z from 'zod';
import { SecretRefSchema } from '../../secrets/secret-ref.ts';
import { ClusterName, isValidRegExp, RateOrCron } from '../primitives.ts';

const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const LogType = z.enum(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);

const DestinationRouting = {
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and -, starting with a letter'),
  /** Send only these clusters (default: all). */
  clusters: z.array(ClusterName).min(1).optional(),
  /** Send only these log types (default: all). */
  logTypes: z.array(LogType).min(1).optional(),
};

const SECRET_PARAMETER = /key|token|secret|passw|pwd|auth|sig|credential/i;

const HttpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine((url) => !/^https?:\/\/[^/?#]*@/i.test(url), {
    message: 'must not contain credentials (user:password@): put them in a secret reference (authorization, token or password)',
  })
  // The configuration is baked into the function bundles and URLs appear in errors: a query parameter that
  // carries a credential (?api_key=…, ?token=…) is refused like userinfo.
  .refine((url) => ![...new URL(url).searchParams.keys()].some((name) => SECRET_PARAMETER.test(name)), {
    message: 'must not carry a credential in its query (key, token, secret, password, signature…): put it in a secret reference (authorization, token or password)',
  });

// Datadog, "Getting Started with Datadog Sites": the site parameters (US1, US3, US5, EU1, AP1, AP2, UK1, US1-FED,
// US2-FED). The API key is sent to `api.<site>`, so nothing else is accepted.
const DATADOG_SITES = ['datadoghq.com', 'us3.datadoghq.com', 'us5.datadoghq.com', 'datadoghq.eu', 'ap1.datadoghq.com', 'ap2.datadoghq.com', 'uk1.datadoghq.com', 'ddog-gov.com', 'us2.ddog-gov.com'] as const;

export const DestinationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('http'),
    url: HttpUrl,
    /** Sent as the Authorization header value. */
    authorization: SecretRefSchema.optional(),
    gzip: z.boolean().default(true),
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('splunk'),
    url: HttpUrl,
    token: SecretRefSchema,
    index: z.string().min(1).optional(),
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('opensearch'),
    url: HttpUrl,
    index: z.string().min(1).default('eks-logs'),
    auth: z.union([
      z.strictObject({ kind: z.literal('basic'), username: z.string().min(1), password: SecretRefSchema }),
      z
        .strictObject({
          kind: z.literal('sigv4'),
          service: z.enum(['es', 'aoss']).default('es'),
          /**
           * The domain (`arn:aws:es:<region>:<account>:domain/<name>`) or collection
           * (`arn:aws:aoss:<region>:<account>:collection/<id>`): the forwarder's role is granted exactly this one.
           */
          resourceArn: z.string(),
        })
        .superRefine((auth, ctx) => {
          const form = auth.service === 'aoss' ? /^arn:aws[a-z-]*:aoss:[a-z0-9-]+:\d{12}:collection\/[a-z0-9]{1,40}$/ : /^arn:aws[a-z-]*:es:[a-z0-9-]+:\d{12}:domain\/[a-z][a-z0-9-]{2,27}$/;
          if (!form.test(auth.resourceArn)) {
            ctx.addIssue({ code: 'custom', path: ['resourceArn'], message: auth.service === 'aoss' ? 'must be the OpenSearch Serverless collection ARN (arn:aws:aoss:<region>:<account>:collection/<id>)' : 'must be the OpenSearch domain ARN (arn:aws:es:<region>:<account>:domain/<name>)' });
          }
        }),
    ]),
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('loki'),
    url: HttpUrl,
    tenant: z.string().min(1).optional(),
    authorization: SecretRefSchema.optional(),
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('datadog'),
    site: z.enum(DATADOG_SITES, { message: `must be a Datadog site: ${DATADOG_SITES.join(', ')}` }).default('datadoghq.com'),
    apiKey: SecretRefSchema,
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('s3'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
    prefix: z.string().default(''),
  }),
  z.strictObject({
    ...DestinationRouting,
    type: z.literal('firehose'),
    deliveryStream: z.string().min(1).max(64),
  }),
]);

const DropRuleSchema = z.strictObject({
  logTypes: z.array(LogType).min(1).optional(),
  verbs: z.array(z.string().min(1)).min(1).optional(),
  /** Glob on the user name: `system:node:*`. */
  users: z.array(z.string().min(1)).min(1).optional(),
  namespaces: z.array(z.string().min(1)).min(1).optional(),
  resources: z.array(z.string().min(1)).min(1).optional(),
  /** A regular expression matched against the raw message. */
  messagePattern: z
    .string()
    .refine((source) => isValidRegExp(source), { message: 'must be a valid regular expression' })
    .optional(),
});

export const LogsSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    logTypes: z.array(LogType).min(1).default(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']),
    retentionDays: z
      .number()
      .int()
      // The values CloudWatch Logs PutRetentionPolicy accepts.
      .refine((days) => RETENTION_DAYS.includes(days), { message: `must be one of ${RETENTION_DAYS.join(', ')}` })
      .default(30),
    kmsKeyArn: z.string().startsWith('arn:').optional(),
    destinations: z.array(DestinationSchema).default([]),
    drop: z.array(DropRuleSchema).default([]),
    redaction: z
      .strictObject({
        enabled: z.boolean().default(true),
        patterns: z
          .array(z.string().refine((source) => isValidRegExp(source), { message: 'must be a valid regular expression' }))
          .default([]),
      })
      .prefault({}),
    replaySchedule: RateOrCron.optional(),
  })
  .superRefine((logs, ctx) => {
    if (logs.enabled && logs.destinations.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['destinations'], message: 'log shipping is enabled but no destination is configured' });
    }
    const seen = new Set<string>();
    logs.destinations.forEach((destination, index) => {
      if (seen.has(destination.name)) {
        ctx.addIssue({ code: 'custom', path: ['destinations', index, 'name'], message: `duplicate destination name "${destination.name}"` });
      }
      seen.add(destination.name);
    });
  });

export type Destination = z.infer<typeof DestinationSchema>;
