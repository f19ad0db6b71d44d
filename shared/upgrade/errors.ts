/**
 * The upgrade's named errors. Step Functions Catch/Retry match on these names (literal, so they survive
 * minification): transient ones are retried by the state machine, the others end the run with a report.
 */

/** The state machine's input is not an upgrade request eksops can act on. */
export class InvalidUpgradeInputError extends Error {
  override readonly name = 'InvalidUpgradeInputError';
}

/** Another upgrade of the same cluster holds the lock. */
export class UpgradeLockedError extends Error {
  override readonly name = 'UpgradeLockedError';
}

/** Pre-flight found BLOCK findings for the next hop. */
export class UpgradeBlockedError extends Error {
  override readonly name = 'UpgradeBlockedError';
}

/** An EKS update of a stage ended Failed (its errors[] in the message, e.g. PodEvictionFailure). */
export class UpgradeStageFailedError extends Error {
  override readonly name = 'UpgradeStageFailedError';
}

/** The cluster is gone (deleted during the run). */
export class ClusterGoneError extends Error {
  override readonly name = 'ClusterGoneError';
}
