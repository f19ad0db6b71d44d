import { describe, expect, it } from '@jest/globals';
import { addDimensionedCounts } from '../../../shared/middleware/observability.ts';
import { publishedEmf } from './emf.ts';

describe('counts under a dimension', () => {
  it('publishes every value with the dimension, however many values there are', () => {
    const blobs = publishedEmf((metrics) => addDimensionedCounts({ name: 'cluster', value: 'prod-eu' }, { tags_resources_changed: 12, tags_lints: 3, tags_cluster_failures: 0 }, metrics));

    expect(blobs).toHaveLength(3);
    for (const blob of blobs) {
      expect(blob.cluster).toBe('prod-eu');
      expect(blob._aws.CloudWatchMetrics[0]?.Dimensions[0]).toContain('cluster');
    }
    const values = Object.fromEntries(blobs.flatMap((blob) => (blob._aws.CloudWatchMetrics[0]?.Metrics ?? []).map((metric) => [metric.Name, blob[metric.Name]])));
    expect(values).toEqual({ tags_resources_changed: 12, tags_lints: 3, tags_cluster_failures: 0 });
  });
});
