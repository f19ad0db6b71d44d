/**
 * A pre-flight finding, in the style of eksup: BLOCK stops the hop, WARN is shown and the hop goes on,
 * INFO is context. Evidence says what was observed; remedy says what a person should do.
 */
export type Severity = 'BLOCK' | 'WARN' | 'INFO';

export interface Finding {
  check: string;
  severity: Severity;
  /** What it is about: `cluster`, `nodegroup/system`, `addon/vpc-cni`, `subnet/subnet-0a1`. */
  resource: string;
  message: string;
  evidence: string;
  remedy: string;
}

/** What every check receives besides the snapshot: the hop being considered. */
export interface HopContext {
  from: string;
  to: string;
  /** Now, for support dates. */
  now: Date;
  /** The cluster's upgrade.refreshSelfManaged setting. */
  refreshSelfManaged?: boolean;
  /** The cluster's upgrade.insightOverrides: insights known to be false positives, until they expire. */
  insightOverrides?: readonly InsightOverride[];
}

export interface InsightOverride {
  id: string;
  reason: string;
  /** ISO 8601 date or date-time; a date alone expires at the end of that day (UTC). */
  expires: string;
}
