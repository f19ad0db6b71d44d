import { resolveCluster } from '../config/clusters.ts';
import type { Config } from '../config/schema.ts';
import type { Tags } from './model.ts';

/** The tag policy decide applies: the configuration's tags section, per cluster. */
export interface TagPolicy {
  autoscalerDiscovery: boolean;
  /** Globs (`*` matches any run of characters) over node-group tag keys. */
  allow: readonly string[];
  deny: readonly string[];
  /**
   * A key the user set before eksops first wrote it (present, not in eksops's record, another value):
   * `keep` (default) leaves it and reports the conflict; `overwrite` writes eksops's value but never records
   * the key as managed, so eksops never deletes it.
   */
  userValues?: 'keep' | 'overwrite';
}

export function tagPolicyOf(config: Config): TagPolicy {
  return { autoscalerDiscovery: config.tags.autoscalerDiscovery, allow: config.tags.allow, deny: config.tags.deny, userValues: config.tags.userValues };
}

export function requiredTagsOf(config: Config, cluster: string): Tags {
  return resolveCluster(config, cluster)?.config.requiredTags ?? {};
}

const globCache = new Map<string, RegExp>();

export function matchesGlob(key: string, glob: string): boolean {
  let pattern = globCache.get(glob);
  if (!pattern) {
    pattern = new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    globCache.set(glob, pattern);
  }
  return pattern.test(key);
}

/** A node-group tag key eksops may copy: allowed by some glob and denied by none. */
export function isCopyable(key: string, policy: TagPolicy): boolean {
  return policy.allow.some((glob) => matchesGlob(key, glob)) && !policy.deny.some((glob) => matchesGlob(key, glob));
}
