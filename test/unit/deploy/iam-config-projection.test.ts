import { describe, expect, it } from '@jest/globals';
import { FUNCTION_CONFIG_SECTIONS, projectConfig } from '../../../deploy/config-projection.ts';
import { FUNCTION_PERMISSIONS } from '../../../deploy/iam.ts';
import { ConfigSchema } from '../../../shared/config/schema.ts';
import { fullConfig } from '../../integration/deployment/full-config.ts';

describe('the configuration bundled into each function', () => {
  it('has a projection for every function', () => {
    expect(Object.keys(FUNCTION_CONFIG_SECTIONS).sort()).toEqual(Object.keys(FUNCTION_PERMISSIONS).sort());
  });

  it('keeps only the sections the function reads', () => {
    const config = fullConfig();
    expect(Object.keys(projectConfig(config, 'logForwarder')).sort()).toEqual(['accounts', 'clusters', 'dryRun', 'logs', 'region']);
    expect(Object.keys(projectConfig(config, 'upgradeAdvance')).sort()).toEqual(['accounts', 'clusters', 'dryRun', 'notify', 'region', 'upgrade']);
    expect(JSON.stringify(projectConfig(config, 'logForwarder'))).not.toContain('slack');
    expect(JSON.stringify(projectConfig(config, 'nodeTags'))).not.toContain('splunk');
  });

  it('parses back with the schema (dropped sections take their defaults)', () => {
    const config = fullConfig();
    for (const name of Object.keys(FUNCTION_CONFIG_SECTIONS)) {
      const projected = JSON.parse(JSON.stringify(projectConfig(config, name))) as Record<string, unknown>;
      const result = ConfigSchema.safeParse(projected);
      expect({ name, issues: result.success ? [] : result.error.issues }).toEqual({ name, issues: [] });
    }
  });
});
