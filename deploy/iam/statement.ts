/** IAM policy statements as serverless.yml / CloudFormation take them. */
export type Sub = { 'Fn::Sub': string };
export type Resource = string | Sub | { 'Fn::GetAtt': [string, string] } | { Ref: string };

export interface Statement {
  Effect: 'Allow';
  Action: string[];
  Resource: Resource | Resource[];
  Condition?: Record<string, Record<string, Resource | Resource[]>>;
}

export const sub = (text: string): Sub => ({ 'Fn::Sub': text });

/** Every EKS cluster of the deployment account, in any region. */
export const ACCOUNT_CLUSTERS = sub('arn:${AWS::Partition}:eks:*:${AWS::AccountId}:cluster/*');

/**
 * The configured clusters' ARNs (`arn:<partition>:eks:<region>:<account>:cluster/<name>`, the account
 * defaulting to the deployment's own), for the actions that change a cluster. A cluster of another account is
 * changed through the role assumed there; naming it here as well is harmless and keeps one list.
 * `kind` gives the ARNs of the cluster's node groups or add-ons instead (`nodegroup/<cluster>/*` …).
 */
export function configuredClusterArns(
  config: { region: string; clusters: readonly { name: string; region?: string | undefined; account?: string | undefined }[] },
  kind: 'cluster' | 'nodegroup' | 'addon' = 'cluster',
): Sub[] {
  return config.clusters.map((cluster) => {
    const region = cluster.region ?? config.region;
    const account = cluster.account ?? '${AWS::AccountId}';
    const tail = kind === 'cluster' ? `cluster/${cluster.name}` : `${kind}/${cluster.name}/*/*`;
    return sub(`arn:\${AWS::Partition}:eks:${region}:${account}:${tail}`);
  });
}
