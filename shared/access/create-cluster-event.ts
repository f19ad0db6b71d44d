import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import * as z from 'zod';

/**
 * "AWS API Call via CloudTrail" for eks:CreateCluster, as EventBridge delivers it (events/cloudtrail-eks-create-cluster.json):
 *
 *   { "detail-type": "AWS API Call via CloudTrail", "source": "aws.eks", "account": "111122223333", "region": "us-west-2",
 *     "detail": { "eventName": "CreateCluster", "eventSource": "eks.amazonaws.com",
 *       "userIdentity": { "type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/username", "userName": "username" },
 *       "requestParameters": { "clusterName": "test", ... },
 *       "responseElements": { "cluster": { "clusterName": "test", "arn": "arn:aws:eks:region-code:...", "version": "1.10" } } } }
 *
 * Real traffic differs from the documentation sample: the request field is `name` today (`clusterName` in
 * older events), `responseElements.cluster.name` likewise, some values arrive URL-encoded, and a failed call
 * has an `errorCode` and no responseElements. Loose objects keep the fields this schema does not name.
 */
const UserIdentitySchema = z.looseObject({
  type: z.string().optional(),
  arn: z.string().optional(),
  principalId: z.string().optional(),
  accountId: z.string().optional(),
  userName: z.string().optional(),
  invokedBy: z.string().optional(),
  sessionContext: z
    .looseObject({
      sessionIssuer: z.looseObject({ type: z.string().optional(), arn: z.string().optional(), userName: z.string().optional() }).optional(),
    })
    .optional(),
});

const ClusterFieldsSchema = z.looseObject({ name: z.string().optional(), clusterName: z.string().optional() });

export const CreateClusterDetailSchema = z.looseObject({
  eventName: z.literal('CreateCluster'),
  eventSource: z.literal('eks.amazonaws.com'),
  eventTime: z.string(),
  eventID: z.string().optional(),
  userIdentity: UserIdentitySchema,
  sourceIPAddress: z.string().optional(),
  userAgent: z.string().optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  requestParameters: z.union([ClusterFieldsSchema, z.null()]).optional(),
  responseElements: z
    .union([z.looseObject({ cluster: z.looseObject({ ...ClusterFieldsSchema.shape, version: z.string().optional(), arn: z.string().optional() }).optional() }), z.null()])
    .optional(),
});

export const CreateClusterEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.eks'),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  detail: CreateClusterDetailSchema,
});

export type CreateClusterEvent = z.infer<typeof CreateClusterEventSchema>;
