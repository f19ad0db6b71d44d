import { configLogTypeOf } from './log-source.ts';
import type { LogRecord } from './record.ts';

/** A drop rule of the configuration (logs.drop[]): every field it lists must match for a record to be dropped. */
export interface DropRule {
  logTypes?: string[] | undefined;
  verbs?: string[] | undefined;
  users?: string[] | undefined;
  namespaces?: string[] | undefined;
  resources?: string[] | undefined;
  messagePattern?: string | undefined;
}

interface CompiledRule {
  logTypes?: Set<string>;
  verbs?: Set<string>;
  users?: RegExp;
  namespaces?: Set<string>;
  resources?: Set<string>;
  messagePattern?: RegExp;
}

export type DropPredicate = (record: LogRecord, rawMessage: string) => boolean;

/** Compiled once per cold start: globs and patterns become regular expressions. */
export function compileDropRules(rules: readonly DropRule[]): DropPredicate {
  const compiled = rules.map(compileRule);
  if (compiled.length === 0) return () => false;
  // A loop, not compiled.some(…): this runs for every event, and the closure would be allocated each time.
  return (record, rawMessage) => {
    for (const rule of compiled) if (matches(rule, record, rawMessage)) return true;
    return false;
  };
}

function compileRule(rule: DropRule): CompiledRule {
  const compiled: CompiledRule = {};
  if (rule.logTypes) compiled.logTypes = new Set(rule.logTypes);
  if (rule.verbs) compiled.verbs = new Set(rule.verbs);
  if (rule.users) compiled.users = new RegExp(`^(?:${rule.users.map(globToRegExp).join('|')})$`);
  if (rule.namespaces) compiled.namespaces = new Set(rule.namespaces);
  if (rule.resources) compiled.resources = new Set(rule.resources);
  if (rule.messagePattern) compiled.messagePattern = new RegExp(rule.messagePattern);
  return compiled;
}

function matches(rule: CompiledRule, record: LogRecord, rawMessage: string): boolean {
  // A field the rule lists but the record lacks (a verb on a scheduler line) is not a match.
  if (rule.logTypes && !rule.logTypes.has(configLogTypeOf(record.logType))) return false;
  if (rule.verbs && (record.verb === undefined || !rule.verbs.has(record.verb))) return false;
  if (rule.users && (record.user === undefined || !rule.users.test(record.user))) return false;
  if (rule.namespaces && (record.namespace === undefined || !rule.namespaces.has(record.namespace))) return false;
  if (rule.resources && (record.resource === undefined || !rule.resources.has(record.resource))) return false;
  if (rule.messagePattern && !rule.messagePattern.test(rawMessage)) return false;
  return true;
}

/** `system:node:*` → `system:node:.*`; everything but `*` is literal. */
export function globToRegExp(glob: string): string {
  return glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
}
