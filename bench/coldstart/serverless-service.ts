import * as YAML from 'yaml';

/** A Lambda function of serverless.yml that serverless-esbuild would bundle. */
export interface LambdaFunction {
  /** The key under `functions:` (`clusterOnboarding`). */
  name: string;
  /** As written: `functions/cluster-onboarding/handler.handler`. */
  handler: string;
  /** The module to bundle, without extension: `functions/cluster-onboarding/handler`. */
  modulePath: string;
  /** The export Lambda calls: `handler`. */
  exportName: string;
  /** provider.environment overlaid with the function's own, literal values only. */
  environment: Record<string, string>;
}

export interface ServerlessService {
  /** provider.runtime: `nodejs22.x`. */
  runtime: string;
  /** The Node major of that runtime: 22. */
  nodeMajor: number;
  /** provider.environment, literal values only (what the baseline runs with). */
  environment: Record<string, string>;
  functions: LambdaFunction[];
  /** custom.esbuild with every `${…}` variable removed (see `variables`). */
  esbuild: Record<string, unknown>;
  /** Where a `${…}` variable was removed: `define.__EKSOPS_CONFIG__`, `functions.x.handler`. */
  variables: string[];
}

export class ServerlessFileError extends Error {
  override readonly name = 'ServerlessFileError';
}

type YamlMap = Record<string, unknown>;

function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isVariable(value: unknown): value is string {
  return typeof value === 'string' && value.includes('${');
}

/**
 * A copy of `value` without the strings that hold a Serverless variable (`${opt:stage}`, `${file(…)}`):
 * the bench does not run the Framework, so it cannot resolve them. Each removal is recorded by its path.
 */
export function withoutVariables(value: unknown, path: string, removed: string[]): unknown {
  if (isVariable(value)) {
    removed.push(path);
    return undefined;
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => {
      const kept = withoutVariables(item, `${path}[${index}]`, removed);
      return kept === undefined ? [] : [kept];
    });
  }
  if (isMap(value)) {
    const result: YamlMap = {};
    for (const [key, item] of Object.entries(value)) {
      const kept = withoutVariables(item, path === '' ? key : `${path}.${key}`, removed);
      if (kept !== undefined) result[key] = kept;
    }
    return result;
  }
  return value;
}

/** Literal scalar values only: `{ Ref: … }` and `${…}` are resolved at deploy time, not here. */
function literalEnvironment(value: unknown, path: string, removed: string[]): Record<string, string> {
  const environment: Record<string, string> = {};
  if (!isMap(value)) return environment;
  for (const [key, item] of Object.entries(value)) {
    if (isVariable(item)) removed.push(`${path}.${key}`);
    else if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') environment[key] = String(item);
    // A CloudFormation reference ({ Ref: LogsFailureBucket }) names a resource of the stack: a stand-in value
    // lets the handler module load as it would in Lambda, where the reference is resolved.
    else if (isMap(item)) environment[key] = `bench-${key.toLowerCase()}`;
  }
  return environment;
}

function nodeMajorOf(runtime: unknown): number | undefined {
  const match = typeof runtime === 'string' ? /^nodejs(\d+)\.x$/.exec(runtime) : null;
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** `functions/x/handler.handler` → module `functions/x/handler`, export `handler` (split at the last dot). */
export function splitHandler(handler: string): { modulePath: string; exportName: string } | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1 || handler.lastIndexOf('/') > dot) return undefined;
  return { modulePath: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}

/**
 * `functions:` as a map, or as the Serverless Framework's array form whose entries are maps or
 * `${file(./x.yml)}` includes (serverless.yml keeps one file per capability), merged in order.
 */
function functionsOf(value: unknown, source: string, readInclude: ((file: string) => string) | undefined): YamlMap {
  if (isMap(value)) return value;
  if (!Array.isArray(value)) return {};
  const merged: YamlMap = {};
  for (const entry of value) {
    const include = typeof entry === 'string' ? /^\$\{file\(([^)]+)\)\}$/.exec(entry)?.[1] : undefined;
    if (include !== undefined && readInclude === undefined) throw new ServerlessFileError(`${source}: functions includes ${include}, but no reader for included files was given`);
    const part: unknown = include !== undefined && readInclude ? YAML.parse(readInclude(include)) : entry;
    if (isMap(part)) Object.assign(merged, part);
  }
  return merged;
}

/**
 * The functions serverless-esbuild bundles and the options it bundles them with, read from serverless.yml
 * as written. Like the plugin, it skips functions marked `skipEsbuild`, functions on a non-Node runtime and
 * functions without a handler (container images); `esbuildEntrypoint` overrides the file bundled.
 */
export function readServerlessService(text: string, source = 'serverless.yml', readInclude?: (file: string) => string): ServerlessService {
  const document = YAML.parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ServerlessFileError(`${source} is not valid YAML: ${document.errors.map((error) => error.message).join('; ')}`);
  }
  const root: unknown = document.toJS();
  if (!isMap(root)) throw new ServerlessFileError(`${source} is not a map`);
  const provider = isMap(root.provider) ? root.provider : {};
  const nodeMajor = nodeMajorOf(provider.runtime);
  if (nodeMajor === undefined || typeof provider.runtime !== 'string') {
    throw new ServerlessFileError(`${source}: provider.runtime should be a Node.js runtime (nodejs22.x), not ${JSON.stringify(provider.runtime)}`);
  }

  const variables: string[] = [];
  const environment = literalEnvironment(provider.environment, 'provider.environment', variables);
  const custom = isMap(root.custom) ? root.custom : {};
  const esbuild = withoutVariables(isMap(custom.esbuild) ? custom.esbuild : {}, '', variables) as YamlMap;

  const functions: LambdaFunction[] = [];
  for (const [name, definition] of Object.entries(functionsOf(root.functions, source, readInclude))) {
    if (!isMap(definition) || definition.skipEsbuild === true) continue;
    if (definition.runtime !== undefined && nodeMajorOf(definition.runtime) === undefined) continue;
    if (definition.handler === undefined) continue;
    const entrypoint = definition.esbuildEntrypoint ?? definition.handler;
    if (isVariable(definition.handler) || isVariable(entrypoint)) {
      variables.push(`functions.${name}.handler`);
      continue;
    }
    if (typeof definition.handler !== 'string' || typeof entrypoint !== 'string') {
      throw new ServerlessFileError(`${source}: functions.${name}.handler should be a string like functions/<dir>/handler.handler`);
    }
    const handler = splitHandler(definition.handler);
    const entry = splitHandler(entrypoint);
    if (!handler || !entry) {
      throw new ServerlessFileError(`${source}: functions.${name}.handler ${JSON.stringify(definition.handler)} is not <file>.<export>`);
    }
    functions.push({
      name,
      handler: definition.handler,
      modulePath: entry.modulePath,
      exportName: handler.exportName,
      environment: { ...environment, ...literalEnvironment(definition.environment, `functions.${name}.environment`, variables) },
    });
  }
  return { runtime: provider.runtime, nodeMajor, environment, functions, esbuild, variables };
}
