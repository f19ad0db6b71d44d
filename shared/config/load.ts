import { readFile } from 'node:fs/promises';
import * as YAML from 'yaml';
import { ConfigError, parseConfig } from './parse.ts';
import type { Config } from './schema.ts';

export { ConfigError, type ConfigIssue, formatPath, parseConfig } from './parse.ts';

export function parseConfigYaml(text: string, source = 'configuration'): Config {
  const document = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((error) => ({ path: `line ${error.linePos?.[0]?.line ?? '?'}`, message: error.message.split('\n')[0] ?? error.message })),
    );
  }
  return parseConfig(document.toJS(), source);
}

export async function loadConfigFile(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [{ path: '(file)', message: `cannot be read: ${(error as Error).message}` }], { cause: error });
  }
  return parseConfigYaml(text, path);
}
