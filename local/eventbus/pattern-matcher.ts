/**
 * Amazon EventBridge event-pattern matching for the sandbox's local event bus: the rule patterns compiled into
 * the CloudFormation template decide which handler an event reaches, exactly as they would on a real bus.
 *
 * The rules come from the Amazon EventBridge User Guide:
 * - Event patterns and their syntax (AND across fields, OR inside a value list, fields absent from the pattern
 *   are ignored, same nesting required, last duplicate key wins):
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html
 * - Comparison operators (prefix, suffix, equals-ignore-case, anything-but and its prefix / suffix /
 *   equals-ignore-case / wildcard forms, numeric, cidr, exists, wildcard, $or):
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/content-filtering-with-event-patterns.html
 *   (formerly eb-event-patterns-content-based-filtering.html)
 * - Arrays (an event array matches when its intersection with the pattern list is not empty):
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 * - Null values and empty strings (not interchangeable):
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 * - Wildcards: https://aws.amazon.com/blogs/compute/filtering-events-in-amazon-eventbridge-with-wildcard-pattern-matching/
 * Where the guide is silent, the behaviour of aws/event-ruler, the library EventBridge matches with, decides
 * (README "JSON Array Matching", JsonRuleCompiler, ACFinder, Event, CIDR, ComparableNumber, WildcardParser);
 * each such point says so where it is implemented.
 */

export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
  /** JSON path of the offending part of the pattern, e.g. `$.detail["c-count"][0].numeric`. */
  readonly path: string;
  readonly reason: string;

  constructor(reason: string, path: string, options?: ErrorOptions) {
    super(`${reason} (at ${path})`, options);
    this.reason = reason;
    this.path = path;
  }
}

export interface CompiledPattern {
  /** Whether EventBridge would deliver `event` (an object, or its JSON text) to a rule with this pattern. */
  matches(event: unknown): boolean;
}

export function compilePattern(pattern: unknown): CompiledPattern {
  const root = typeof pattern === 'string' ? parsePatternText(pattern) : pattern;
  if (!isJsonObject(root)) fail('an event pattern must be a JSON object', ROOT_PATH);
  const branches = compileObject(root, ROOT_PATH, [], [], false).map(orderedConditions);
  return {
    matches: (event) => {
      const fields = flattenEvent(event);
      return branches.some((conditions) => satisfiesFrom(conditions, 0, NO_MEMBERSHIP, fields));
    },
  };
}

export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern).matches(event);
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled form: $or is expanded into branches (any branch may match); a branch is a set of field conditions
// that must all hold; a field condition holds when one event value at that path passes one of its tests, or,
// with {"exists": false} among them, when no value is there.

type JsonScalar = string | number | boolean | null;
type JsonObject = Record<string, unknown>;
type ValueTest = (value: JsonScalar) => boolean;
type StringTest = (value: string) => boolean;

interface FieldCondition {
  readonly fieldKey: string;
  /** event-ruler evaluates a rule's fields in the order of their dotted names; {"exists": false} depends on it. */
  readonly orderKey: string;
  readonly valueTests: readonly ValueTest[];
  readonly acceptsAbsence: boolean;
}

type Branch = ReadonlyMap<string, FieldCondition>;

type LeafMatcher = { readonly kind: 'value'; readonly test: ValueTest } | { readonly kind: 'absence' };

const ROOT_PATH = '$';
const OR_KEYWORD = '$or';

function fail(reason: string, path: string, cause?: unknown): never {
  throw new InvalidEventPatternError(reason, path, cause === undefined ? undefined : { cause });
}

function parsePatternText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return fail(`the event pattern is not valid JSON: ${detail}`, ROOT_PATH, error);
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonScalar(value: unknown): value is JsonScalar {
  if (typeof value === 'number') return Number.isFinite(value);
  return value === null || typeof value === 'string' || typeof value === 'boolean';
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Structure: objects, $or, leaf value lists.

/**
 * Inside $or, operator names cannot be field names: event-ruler reserves them there so that a misplaced
 * operator is an error rather than a field that never matches (JsonRuleCompiler, Constants).
 */
const NAMES_RESERVED_INSIDE_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr',
  'html', '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after',
  'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range',
  'ip-address-not-in-range',
]);

function compileObject(
  node: JsonObject,
  path: string,
  segments: readonly string[],
  branches: readonly Branch[],
  insideOr: boolean,
): readonly Branch[] {
  const entries = Object.entries(node);
  if (entries.length === 0) fail('empty objects are not allowed', path);
  return entries.reduce(
    (current, [key, value]) => compileField(key, value, childPath(path, key), segments, current, insideOr),
    branches,
  );
}

function compileField(
  key: string,
  value: unknown,
  path: string,
  segments: readonly string[],
  branches: readonly Branch[],
  insideOr: boolean,
): readonly Branch[] {
  if (key === OR_KEYWORD) return compileOr(value, path, segments, branches);
  if (insideOr && NAMES_RESERVED_INSIDE_OR.has(key)) {
    fail(`"${key}" is an operator name and cannot be a field name inside $or`, path);
  }
  const fieldSegments = [...segments, key];
  if (isJsonObject(value)) return compileObject(value, path, fieldSegments, branches, insideOr);
  if (Array.isArray(value)) return withCondition(branches, compileCondition(value, path, fieldSegments));
  return fail(`"${key}" must be an object or an array`, path);
}

function compileOr(
  value: unknown,
  path: string,
  segments: readonly string[],
  branches: readonly Branch[],
): readonly Branch[] {
  if (!Array.isArray(value)) fail('$or must be an array of objects', path);
  const alternatives: readonly unknown[] = value;
  if (alternatives.length < 2) fail('$or must hold at least 2 objects', path);
  return alternatives.flatMap((alternative, index) => {
    const alternativePath = childPath(path, index);
    if (!isJsonObject(alternative)) fail('only objects are allowed in a $or array', alternativePath);
    return compileObject(alternative, alternativePath, segments, branches, true);
  });
}

/**
 * The guide: "if you include a key more than once the last reference will be the one used". event-ruler
 * applies the same overriding when a field appears both outside and inside $or: whichever comes later in the
 * pattern replaces the other in that branch, so a later write replaces rather than adds a condition here too.
 */
function withCondition(branches: readonly Branch[], condition: FieldCondition): readonly Branch[] {
  const base = branches.length === 0 ? [new Map<string, FieldCondition>()] : branches;
  return base.map((branch) => new Map(branch).set(condition.fieldKey, condition));
}

function orderedConditions(branch: Branch): readonly FieldCondition[] {
  return [...branch.values()].sort((a, b) => compareCodeUnits(a.orderKey, b.orderKey) || compareCodeUnits(a.fieldKey, b.fieldKey));
}

function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * event-ruler joins nested keys with "." so {"a": {"b": ..}} and {"a.b": ..} collide; its README says not to
 * rely on that, so fields are identified by their key segments here and the dotted name only orders them.
 */
function fieldKeyOf(segments: readonly string[]): string {
  return JSON.stringify(segments);
}

function compileCondition(values: readonly unknown[], path: string, segments: readonly string[]): FieldCondition {
  if (values.length === 0) fail('empty arrays are not allowed', path);
  const matchers = values.map((value, index) => compileLeafMatcher(value, childPath(path, index)));
  return {
    fieldKey: fieldKeyOf(segments),
    orderKey: segments.join('.'),
    valueTests: matchers.flatMap((matcher) => (matcher.kind === 'value' ? [matcher.test] : [])),
    acceptsAbsence: matchers.some((matcher) => matcher.kind === 'absence'),
  };
}

function compileLeafMatcher(value: unknown, path: string): LeafMatcher {
  if (isJsonObject(value)) return compileOperator(value, path);
  if (!isJsonScalar(value)) fail('a match value must be a string, number, true, false, null or an operator object', path);
  return valueMatcher(exactTest(value));
}

function valueMatcher(test: ValueTest): LeafMatcher {
  return { kind: 'value', test };
}

// ---------------------------------------------------------------------------------------------------------------
// Operators.

type OperatorCompiler = (operand: unknown, path: string) => LeafMatcher;

const OPERATORS: ReadonlyMap<string, OperatorCompiler> = new Map<string, OperatorCompiler>([
  ['prefix', (operand, path) => valueMatcher(onStrings(affixTest('prefix', operand, path)))],
  ['suffix', (operand, path) => valueMatcher(onStrings(affixTest('suffix', operand, path)))],
  ['equals-ignore-case', (operand, path) => equalsIgnoreCaseMatcher(operand, path)],
  ['wildcard', (operand, path) => valueMatcher(onStrings(wildcardTest(requireString('wildcard', operand, path), path)))],
  ['numeric', (operand, path) => valueMatcher(numericTest(operand, path))],
  ['cidr', (operand, path) => valueMatcher(cidrTest(operand, path))],
  ['exists', (operand, path) => existsMatcher(operand, path)],
  ['anything-but', (operand, path) => valueMatcher(anythingButTest(operand, path))],
]);

function compileOperator(expression: JsonObject, path: string): LeafMatcher {
  const [name, operand] = singleEntry(expression, 'match expression', path);
  const compile = OPERATORS.get(name);
  // "exactly" exists in event-ruler but not in the EventBridge guide, so it is refused like any unknown name.
  if (compile === undefined) return fail(`unrecognized match type "${name}"`, path);
  return compile(operand, childPath(path, name));
}

function singleEntry(expression: JsonObject, what: string, path: string): [string, unknown] {
  const entries = Object.entries(expression);
  const [entry] = entries;
  if (entry === undefined) return fail(`${what} has no operator name`, path);
  if (entries.length > 1) fail(`only one key is allowed in a ${what}`, path);
  return entry;
}

function equalsIgnoreCaseMatcher(operand: unknown, path: string): LeafMatcher {
  return valueMatcher(onStrings(ignoreCaseTest(requireString('equals-ignore-case', operand, path), 'whole')));
}

function requireString(operator: string, operand: unknown, path: string): string {
  if (typeof operand !== 'string') fail(`${operator} match pattern must be a string`, path);
  return operand;
}

function onStrings(test: StringTest): ValueTest {
  return (value) => typeof value === 'string' && test(value);
}

function existsMatcher(operand: unknown, path: string): LeafMatcher {
  if (typeof operand !== 'boolean') fail('exists match pattern must be either true or false', path);
  // A leaf is any scalar, null included (event-ruler flattens null into the value "null"), so
  // {"exists": true} holds for a null field and {"exists": false} does not.
  return operand ? valueMatcher(() => true) : { kind: 'absence' };
}

// --- exact values -----------------------------------------------------------------------------------------------

/**
 * Numbers compare as numbers. eb-event-patterns.html says numbers match by their text, so 300, 300.0 and 3.0e2
 * differ; but event-ruler adds a numeric-equality matcher beside the textual one, and an event parsed in
 * JavaScript has lost its number text anyway, so the numeric reading is the one that can be implemented.
 * A pattern string that is an IP address matches the same address written differently (event-ruler turns it
 * into a one-address range), e.g. "2001:db8::1" matches "2001:DB8:0:0:0:0:0:1".
 */
function exactTest(expected: JsonScalar): ValueTest {
  if (typeof expected !== 'string') return (value) => value === expected;
  const address = parseIpAddress(expected);
  if (address === undefined) return (value) => value === expected;
  return (value) => typeof value === 'string' && (value === expected || sameAddress(address, parseIpAddress(value)));
}

// --- prefix / suffix / equals-ignore-case ---------------------------------------------------------------------

type Anchor = 'start' | 'end' | 'whole';

function affixTest(operator: 'prefix' | 'suffix', operand: unknown, path: string): StringTest {
  const anchor = operator === 'prefix' ? 'start' : 'end';
  if (isJsonObject(operand)) {
    const [name, text] = singleEntry(operand, `${operator} expression`, path);
    if (name !== 'equals-ignore-case') fail(`unsupported ${operator} pattern "${name}"`, path);
    return ignoreCaseTest(requireString('equals-ignore-case', text, childPath(path, name)), anchor);
  }
  const text = requireString(operator, operand, path);
  return anchor === 'start' ? (value) => value.startsWith(text) : (value) => value.endsWith(text);
}

/**
 * event-ruler folds case one UTF-16 unit of the pattern at a time: each unit matches its own lower-case or
 * upper-case form (Locale.ROOT), which may be longer than one unit (EqualsIgnoreCaseParser). A regular
 * expression of those alternatives reproduces that, including the units whose forms differ in length.
 */
function ignoreCaseTest(text: string, anchor: Anchor): StringTest {
  const units = Array.from({ length: text.length }, (_, index) => caseAlternatives(text.charAt(index)));
  return anchoredRegExp(units.join(''), anchor);
}

function caseAlternatives(unit: string): string {
  const forms = new Set([unit.toLowerCase(), unit.toUpperCase()]);
  return `(?:${[...forms].map(escapeRegExp).join('|')})`;
}

function anchoredRegExp(source: string, anchor: Anchor): StringTest {
  const start = anchor === 'end' ? '' : '^';
  const end = anchor === 'start' ? '' : '$';
  const expression = new RegExp(`${start}${source}${end}`);
  return (value) => expression.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// --- wildcard ---------------------------------------------------------------------------------------------------

/**
 * `*` matches any run of characters, `\*` a literal star and `\\` a literal backslash; any other escape and two
 * consecutive wildcards are rejected (event-ruler WildcardParser, as the guide's wildcard section describes).
 */
function wildcardTest(wildcard: string, path: string): StringTest {
  let source = '';
  for (let index = 0; index < wildcard.length; index += 1) {
    const unit = wildcard.charAt(index);
    const next = wildcard.charAt(index + 1);
    if (unit === '*') {
      if (next === '*') fail(`consecutive wildcard characters at position ${index}`, path);
      source += '[\\s\\S]*';
    } else if (unit === '\\') {
      if (next !== '*' && next !== '\\') fail(`invalid escape character at position ${index}`, path);
      source += escapeRegExp(next);
      index += 1;
    } else {
      source += escapeRegExp(unit);
    }
  }
  return anchoredRegExp(source, 'whole');
}

// --- numeric ----------------------------------------------------------------------------------------------------

interface Bound {
  readonly value: number;
  readonly inclusive: boolean;
}

interface NumericRange {
  readonly lower?: Bound;
  readonly upper?: Bound;
}

/**
 * The guide has said both ±1.0e9 and ±5.0e9 for the numeric limit; event-ruler (ComparableNumber) enforces
 * ±5.0e9 with at most six decimals, for pattern operands (an error) and event values (which then are not numbers
 * to numeric matching and to numeric anything-but), so that is the limit here.
 */
const NUMERIC_LIMIT = 5e9;
const NUMERIC_DECIMALS = 6;

function isComparableNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= NUMERIC_LIMIT && hasAtMostSixDecimals(value);
}

function hasAtMostSixDecimals(value: number): boolean {
  return Number(value.toFixed(NUMERIC_DECIMALS)) === value;
}

function comparableOperand(operand: unknown, operator: string, path: string): number {
  if (typeof operand !== 'number' || !Number.isFinite(operand)) fail(`value of ${operator} must be numeric`, path);
  if (Math.abs(operand) > NUMERIC_LIMIT) fail(`value must be between -5.0E9 and 5.0E9, inclusive`, path);
  if (!hasAtMostSixDecimals(operand)) fail(`only values up to ${NUMERIC_DECIMALS} decimals are supported`, path);
  return operand;
}

function numericTest(operand: unknown, path: string): ValueTest {
  const range = parseNumericRange(operand, path);
  return (value) => isComparableNumber(value) && isWithin(value, range);
}

function isWithin(value: number, { lower, upper }: NumericRange): boolean {
  const aboveLower = lower === undefined || value > lower.value || (lower.inclusive && value === lower.value);
  const belowUpper = upper === undefined || value < upper.value || (upper.inclusive && value === upper.value);
  return aboveLower && belowUpper;
}

/**
 * Accepted shapes (event-ruler JsonRuleCompiler): ["=", n], ["<" | "<=", n], [">" | ">=", n] and
 * [">" | ">=", low, "<" | "<=", high] with low < high. An upper bound first (["<", 5, ">", 0]) is refused.
 */
function parseNumericRange(operand: unknown, path: string): NumericRange {
  if (!Array.isArray(operand)) fail('value of numeric must be an array', path);
  const items: readonly unknown[] = operand;
  const operator = items[0];
  if (typeof operator !== 'string') fail(`invalid member in numeric match: ${JSON.stringify(operator)}`, childPath(path, 0));
  const value = comparableOperand(items[1], operator, childPath(path, 1));
  switch (operator) {
    case '=':
      return onlyTerms(items, 2, path, { lower: { value, inclusive: true }, upper: { value, inclusive: true } });
    case '<':
    case '<=':
      return onlyTerms(items, 2, path, { upper: { value, inclusive: operator === '<=' } });
    case '>':
    case '>=':
      return withUpperBound(items, { value, inclusive: operator === '>=' }, path);
    default:
      return fail(`unrecognized numeric range operator "${operator}"`, childPath(path, 0));
  }
}

function onlyTerms(items: readonly unknown[], count: number, path: string, range: NumericRange): NumericRange {
  if (items.length > count) fail('too many elements in numeric expression', childPath(path, count));
  return range;
}

function withUpperBound(items: readonly unknown[], lower: Bound, path: string): NumericRange {
  if (items.length === 2) return { lower };
  const operator = items[2];
  if (operator !== '<' && operator !== '<=') {
    fail(`bad numeric range operator ${JSON.stringify(operator)}; an upper bound takes "<" or "<="`, childPath(path, 2));
  }
  const value = comparableOperand(items[3], operator, childPath(path, 3));
  if (value <= lower.value) fail('the bottom of a numeric range must be less than its top', path);
  return onlyTerms(items, 4, path, { lower, upper: { value, inclusive: operator === '<=' } });
}

// --- cidr and IP addresses ------------------------------------------------------------------------------------

interface IpAddress {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

/**
 * Host bits set in the pattern ("10.0.0.5/24") are masked off, so the block is 10.0.0.0–10.0.0.255
 * (event-ruler CIDRTest). /32 and /128 are accepted as single addresses. An IPv4 value never falls in an IPv6
 * block or the reverse.
 */
function cidrTest(operand: unknown, path: string): ValueTest {
  const block = parseCidrBlock(requireString('cidr', operand, path), path);
  return (value) => {
    const address = typeof value === 'string' ? parseIpAddress(value) : undefined;
    return address !== undefined && address.bits === block.bits && address.value >= block.first && address.value <= block.last;
  };
}

function parseCidrBlock(text: string, path: string): { bits: 32 | 128; first: bigint; last: bigint } {
  const slash = text.indexOf('/');
  if (slash === -1 || text.includes('/', slash + 1)) fail("malformed CIDR, one '/' required", path);
  const maskText = text.slice(slash + 1);
  if (!/^\d+$/.test(maskText)) fail('malformed CIDR, mask bits must be a non-negative integer', path);
  const address = parseIpAddress(text.slice(0, slash));
  if (address === undefined) return fail(`invalid IP address "${text.slice(0, slash)}"`, path);
  const maskBits = Number(maskText);
  if (maskBits > address.bits) fail(`IPv${address.bits === 32 ? 4 : 6} mask bits must be at most ${address.bits}`, path);
  const hostBits = BigInt(address.bits - maskBits);
  const first = (address.value >> hostBits) << hostBits;
  return { bits: address.bits, first, last: first | ((1n << hostBits) - 1n) };
}

function sameAddress(a: IpAddress, b: IpAddress | undefined): boolean {
  return b !== undefined && a.bits === b.bits && a.value === b.value;
}

function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { bits: 32, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { bits: 128, value: v6 };
}

/** Dotted decimal only; octets with leading zeros are refused because readers disagree on their base. */
function parseIpv4(text: string): bigint | undefined {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1) ?? [];
  if (octets.length !== 4 || octets.some((octet) => Number(octet) > 255 || /^0\d/.test(octet))) return undefined;
  return octets.reduce((sum, octet) => (sum << 8n) | BigInt(octet), 0n);
}

/** Hex groups with at most one "::"; event-ruler does not read embedded IPv4 ("::ffff:1.2.3.4") as an address. */
function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = ipv6Groups(halves[0] ?? '');
  const tail = halves.length === 2 ? ipv6Groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  return groups.reduce((sum, group) => (sum << 16n) | BigInt(`0x${group}`), 0n);
}

function ipv6Groups(part: string): string[] | undefined {
  if (part === '') return [];
  const groups = part.split(':');
  return groups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group)) ? groups : undefined;
}

// --- anything-but -----------------------------------------------------------------------------------------------

/**
 * Anything-but excludes only values of the kind it names: a string list excludes equal strings, a number list
 * equal numbers, prefix / suffix / equals-ignore-case / wildcard only strings; every other value matches
 * (event-ruler ByteMachine: numbers, booleans and null pass a string anything-but). It needs a value, so an
 * absent field never matches. The guide once said anything-but takes a single prefix, "not a list"; event-ruler
 * accepts lists for all four string operators and the guide now shows lists, so lists are accepted.
 */
function anythingButTest(operand: unknown, path: string): ValueTest {
  const excluded = isJsonObject(operand) ? anythingButOperatorExclusion(operand, path) : anythingButValueExclusion(operand, path);
  return (value) => !excluded(value);
}

function anythingButValueExclusion(operand: unknown, path: string): ValueTest {
  const items = operandItems(operand, path);
  if (items.length > 0 && items.every(({ value }) => typeof value === 'string')) {
    const strings = new Set(items.map(({ value }) => value));
    return (value) => typeof value === 'string' && strings.has(value);
  }
  if (items.length > 0 && items.every(({ value }) => typeof value === 'number')) {
    const numbers = new Set(items.map(({ value, path: itemPath }) => comparableOperand(value, 'anything-but', itemPath)));
    return (value) => isComparableNumber(value) && numbers.has(value);
  }
  return fail('anything-but takes a string, a number, a non-empty list of only strings or only numbers, or an operator object', path);
}

/** An operand that may be one value or a list of them, each with its own path for error messages. */
function operandItems(operand: unknown, path: string): { value: unknown; path: string }[] {
  if (!Array.isArray(operand)) return [{ value: operand, path }];
  const values: readonly unknown[] = operand;
  return values.map((value, index) => ({ value, path: childPath(path, index) }));
}

type StringTestCompiler = (text: string, path: string) => StringTest;

const ANYTHING_BUT_OPERATORS: ReadonlyMap<string, StringTestCompiler> = new Map<string, StringTestCompiler>([
  ['prefix', (text, path) => nonEmptyAffix(text, path, (value) => value.startsWith(text))],
  ['suffix', (text, path) => nonEmptyAffix(text, path, (value) => value.endsWith(text))],
  ['equals-ignore-case', (text) => ignoreCaseTest(text, 'whole')],
  ['wildcard', (text, path) => wildcardTest(text, path)],
]);

function anythingButOperatorExclusion(expression: JsonObject, path: string): ValueTest {
  const [name, operand] = singleEntry(expression, 'anything-but expression', path);
  const compile = ANYTHING_BUT_OPERATORS.get(name);
  if (compile === undefined) return fail(`unsupported anything-but pattern "${name}"`, path);
  const items = operandItems(operand, childPath(path, name));
  // event-ruler would accept an empty list here and then exclude nothing; it is refused like any empty array.
  if (items.length === 0) fail('empty arrays are not allowed', childPath(path, name));
  const tests = items.map(({ value, path: itemPath }) => compile(requireString(name, value, itemPath), itemPath));
  return onStrings((value) => tests.some((test) => test(value)));
}

function nonEmptyAffix(text: string, path: string, test: StringTest): StringTest {
  if (text === '') fail('an empty prefix or suffix is not allowed in anything-but', path);
  return test;
}

// ---------------------------------------------------------------------------------------------------------------
// Events: flattened into leaf values per field path, each remembering which element of which array holds it.

type Membership = ReadonlyMap<number, number>;

interface EventLeaf {
  readonly value: JsonScalar;
  readonly membership: Membership;
}

type EventFields = ReadonlyMap<string, readonly EventLeaf[]>;

const NO_MEMBERSHIP: Membership = new Map();

function flattenEvent(event: unknown): EventFields {
  const root = typeof event === 'string' ? parseEventText(event) : event;
  if (!isJsonObject(root)) throw new TypeError('an event must be a JSON object');
  const fields = new Map<string, EventLeaf[]>();
  let arrayCount = 0;
  const visit = (value: unknown, segments: readonly string[], membership: Membership): void => {
    if (Array.isArray(value)) {
      const arrayId = arrayCount++;
      value.forEach((element: unknown, index) => visit(element, segments, elementMembership(element, membership, arrayId, index)));
    } else if (isJsonObject(value)) {
      for (const [key, child] of Object.entries(value)) visit(child, [...segments, key], membership);
    } else if (isJsonScalar(value)) {
      addLeaf(fields, fieldKeyOf(segments), { value, membership });
    }
  };
  visit(root, [], NO_MEMBERSHIP);
  return fields;
}

function addLeaf(fields: Map<string, EventLeaf[]>, fieldKey: string, leaf: EventLeaf): void {
  const leaves = fields.get(fieldKey);
  if (leaves === undefined) fields.set(fieldKey, [leaf]);
  else leaves.push(leaf);
}

function parseEventText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError('an event must be a JSON object', { cause: error });
  }
}

/** Only objects and arrays inside an array record their element (event-ruler Event.loadArray); scalars do not. */
function elementMembership(element: unknown, membership: Membership, arrayId: number, index: number): Membership {
  return typeof element === 'object' && element !== null ? new Map(membership).set(arrayId, index) : membership;
}

// ---------------------------------------------------------------------------------------------------------------
// Matching, array-consistent as in event-ruler's rulesForJSONEvent (README "JSON Array Matching", ACFinder):
// values that satisfy one branch must not come from different elements of the same array, so
// {"employees": {"first": ["Anna"], "last": ["Jones"]}} does not match Anna Smith beside Peter Jones.

function satisfiesFrom(conditions: readonly FieldCondition[], index: number, membership: Membership, fields: EventFields): boolean {
  const condition = conditions[index];
  if (condition === undefined) return true;
  const reachable = consistentLeaves(fields.get(condition.fieldKey) ?? [], membership);
  if (condition.acceptsAbsence && reachable.length === 0 && satisfiesFrom(conditions, index + 1, membership, fields)) return true;
  const tried = new Set<string>();
  for (const { leaf, merged } of reachable) {
    const signature = membershipSignature(merged);
    if (tried.has(signature) || !condition.valueTests.some((test) => test(leaf.value))) continue;
    tried.add(signature);
    if (satisfiesFrom(conditions, index + 1, merged, fields)) return true;
  }
  return false;
}

/**
 * {"exists": false} holds when no value of the field lies in the array elements already chosen by the fields
 * matched before it (in dotted-name order). With nothing chosen yet, a value in any element counts as present:
 * that is event-ruler's behaviour (NameState.getNameTransitions), which the guide does not describe.
 */
function consistentLeaves(leaves: readonly EventLeaf[], membership: Membership): { leaf: EventLeaf; merged: Membership }[] {
  return leaves.flatMap((leaf) => {
    const merged = mergeMemberships(membership, leaf.membership);
    return merged === undefined ? [] : [{ leaf, merged }];
  });
}

function mergeMemberships(soFar: Membership, field: Membership): Membership | undefined {
  let merged = soFar;
  for (const [arrayId, index] of field) {
    const chosen = merged.get(arrayId);
    if (chosen === undefined) merged = new Map(merged).set(arrayId, index);
    else if (chosen !== index) return undefined;
  }
  return merged;
}

function membershipSignature(membership: Membership): string {
  return [...membership].sort(([a], [b]) => a - b).join(';');
}
