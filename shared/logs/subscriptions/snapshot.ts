/** What the subscription manager reads about one cluster before deciding: plain data, no clients. */
export interface ClusterLoggingSnapshot {
  cluster: string;
  /** undefined: the cluster does not exist (deleted, or a name in the configuration that was never created). */
  status?: string;
  enabledTypes: string[];
  /** An update in progress on the cluster: EKS refuses another one until it ends. */
  updateInProgress?: string;
  logGroup?: { retentionInDays?: number; kmsKeyId?: string };
  filters: { filterName: string; destinationArn: string }[];
}

export interface DesiredLogging {
  logTypes: string[];
  retentionDays: number;
  kmsKeyArn?: string | undefined;
  /**
   * The forwarder's ARN, or why there is none for this cluster: a subscription can only deliver to a Lambda
   * function of the same account and region as the log group.
   */
  forwarder: { arn: string } | { unavailable: string };
  /** Our subscription filter's name: one per deployment (stage), so two stages never fight over it. */
  filterName: string;
}
