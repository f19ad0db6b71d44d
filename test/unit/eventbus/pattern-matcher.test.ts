import { describe, expect, it } from '@jest/globals';
import { compilePattern, InvalidEventPatternError, matchesPattern } from '../../../local/eventbus/pattern-matcher.ts';

type MatchCase = [description: string, pattern: unknown, event: unknown, expected: boolean];

/** An EventBridge envelope (eb-events.html) around the given detail. */
function ec2Event(detail: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail,
  };
}

function detailPattern(field: string, values: unknown[]): Record<string, unknown> {
  return { detail: { [field]: values } };
}

function withValue(field: string, value: unknown): Record<string, unknown> {
  return ec2Event({ [field]: value });
}

const EXISTS_EVENT = ec2Event({ state: 'pending', nothing: null, none: [], 'c-count': { c1: 100 }, tags: ['a', 'b'] });

const CASES: Record<string, MatchCase[]> = {
  'exact values': [
    ['string equal', detailPattern('state', ['running']), withValue('state', 'running'), true],
    ['string differs', detailPattern('state', ['running']), withValue('state', 'stopped'), false],
    ['strings are case-sensitive', detailPattern('state', ['running']), withValue('state', 'Running'), false],
    ['no normalisation of whitespace', detailPattern('state', ['running']), withValue('state', 'running '), false],
    ['number equal', detailPattern('risk', [80]), withValue('risk', 80), true],
    ['numbers compare as numbers (3.0e2 is 300)', '{"detail": {"risk": [3.0e2]}}', withValue('risk', 300), true],
    ['number differs', detailPattern('risk', [80]), withValue('risk', 81), false],
    ['number does not match its string form', detailPattern('risk', [80]), withValue('risk', '80'), false],
    ['string does not match the number', detailPattern('risk', ['80']), withValue('risk', 80), false],
    ['true matches true', detailPattern('enabled', [true]), withValue('enabled', true), true],
    ['true does not match "true"', detailPattern('enabled', [true]), withValue('enabled', 'true'), false],
    ['false does not match true', detailPattern('enabled', [false]), withValue('enabled', true), false],
    ['null matches null', detailPattern('responseElements', [null]), withValue('responseElements', null), true],
    ['null does not match an empty string', detailPattern('responseElements', [null]), withValue('responseElements', ''), false],
    ['empty string matches empty string', detailPattern('eventVersion', ['']), withValue('eventVersion', ''), true],
    ['empty string does not match null', detailPattern('eventVersion', ['']), withValue('eventVersion', null), false],
    ['field absent from the event', detailPattern('state', ['running']), ec2Event({}), false],
  ],
  'value lists and event arrays': [
    ['any listed value matches (first)', { source: ['aws.ec2', 'aws.fargate'] }, ec2Event({}), true],
    ['any listed value matches (second)', { source: ['aws.fargate', 'aws.ec2'] }, ec2Event({}), true],
    ['no listed value matches', { source: ['aws.s3', 'aws.fargate'] }, ec2Event({}), false],
    ['event array matches when one element matches', detailPattern('tags', ['Insider']), withValue('tags', ['Custom_Alert', 'Insider']), true],
    ['event array matches on a non-empty intersection', detailPattern('tags', ['x', 'Insider']), withValue('tags', ['Custom_Alert', 'Insider']), true],
    ['event array without a listed value', detailPattern('tags', ['Other']), withValue('tags', ['Custom_Alert', 'Insider']), false],
    ['empty event array matches no value', detailPattern('tags', ['Insider']), withValue('tags', []), false],
    ['nested event arrays are searched too', detailPattern('tags', ['b']), withValue('tags', [['a'], ['b']]), true],
  ],
  'structure and nesting': [
    ['fields absent from the pattern are ignored', { detail: { state: ['running'] } }, ec2Event({ state: 'running', other: 1 }), true],
    ['every pattern field is required (AND)', { source: ['aws.ec2'], detail: { state: ['running'] } }, ec2Event({ state: 'stopped' }), false],
    ['deep nesting', { detail: { trigger: { risk: [8] } } }, ec2Event({ trigger: { risk: 8 } }), true],
    ['deep nesting, value differs', { detail: { trigger: { risk: [8] } } }, ec2Event({ trigger: { risk: 9 } }), false],
    ['pattern leaf where the event has an object', { detail: { trigger: ['x'] } }, ec2Event({ trigger: { risk: 8 } }), false],
    ['pattern object where the event has a leaf', { detail: { trigger: { risk: [8] } } }, ec2Event({ trigger: 'risk' }), false],
    ['pattern object where the event has nothing', { detail: { trigger: { risk: [8] } } }, ec2Event({}), false],
    ['objects inside event arrays are matched per element', { detail: { items: { id: ['b'] } } }, ec2Event({ items: [{ id: 'a' }, { id: 'b' }] }), true],
    ['dotted key is not a path into nested objects', { detail: { 'state.status': ['running'] } }, ec2Event({ state: { status: 'running' } }), false],
  ],
  'array-consistent matching': [
    ['two fields from the same element', { detail: { employees: { firstName: ['Anna'], lastName: ['Smith'] } } }, ec2Event({ employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }] }), true],
    ['two fields from different elements', { detail: { employees: { firstName: ['Anna'], lastName: ['Doe'] } } }, ec2Event({ employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }] }), false],
    ['multi-level arrays keep elements apart', { detail: { employees: { firstName: ['Anna'], lastName: ['Jones'] } } }, ec2Event({ employees: [[{ firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]] }), false],
    ['scalar arrays inside one element stay consistent', { detail: { employees: { firstName: ['Anna'], roles: ['admin'] } } }, ec2Event({ employees: [{ firstName: 'Anna', roles: ['dev', 'admin'] }] }), true],
    ['exists:false looks only at the element already chosen', { detail: { employees: { firstName: ['Anna'], middleName: [{ exists: false }] } } }, ec2Event({ employees: [{ firstName: 'Anna' }, { firstName: 'Peter', middleName: 'Q' }] }), true],
    ['exists:false with nothing chosen sees every element', { detail: { employees: { middleName: [{ exists: false }] } } }, ec2Event({ employees: [{ firstName: 'Anna' }, { firstName: 'Peter', middleName: 'Q' }] }), false],
  ],
  prefix: [
    ['value starts with the prefix', { time: [{ prefix: '2017-12-22' }] }, ec2Event({}), true],
    ['value does not start with the prefix', { time: [{ prefix: '2018' }] }, ec2Event({}), false],
    ['value contains the prefix later on', { time: [{ prefix: '12-22' }] }, ec2Event({}), false],
    ['prefix is case-sensitive', detailPattern('service', [{ prefix: 'eventb' }]), withValue('service', 'EventBridge'), false],
    ['empty prefix matches any string', detailPattern('service', [{ prefix: '' }]), withValue('service', 'x'), true],
    ['prefix never matches numbers', detailPattern('n', [{ prefix: '12' }]), withValue('n', 123), false],
    ['prefix ignoring case', detailPattern('service', [{ prefix: { 'equals-ignore-case': 'EventB' } }]), withValue('service', 'eventbridge'), true],
    ['prefix ignoring case, upper-case value', detailPattern('service', [{ prefix: { 'equals-ignore-case': 'eventb' } }]), withValue('service', 'EVENTBRIDGE'), true],
    ['prefix ignoring case, no match', detailPattern('service', [{ prefix: { 'equals-ignore-case': 'eventb' } }]), withValue('service', 'SNS'), false],
    ['prefix ignoring case, found later on', detailPattern('service', [{ prefix: { 'equals-ignore-case': 'eventb' } }]), withValue('service', 'AmazonEventBridge'), false],
  ],
  suffix: [
    ['value ends with the suffix', detailPattern('FileName', [{ suffix: '.png' }]), withValue('FileName', 'image.png'), true],
    ['value does not end with the suffix', detailPattern('FileName', [{ suffix: '.png' }]), withValue('FileName', 'image.jpg'), false],
    ['suffix is case-sensitive', detailPattern('FileName', [{ suffix: '.png' }]), withValue('FileName', 'image.PNG'), false],
    ['value contains the suffix earlier on', detailPattern('FileName', [{ suffix: '.png' }]), withValue('FileName', 'image.png.bak'), false],
    ['suffix never matches numbers', detailPattern('n', [{ suffix: '3' }]), withValue('n', 123), false],
    ['suffix ignoring case', detailPattern('FileName', [{ suffix: { 'equals-ignore-case': '.png' } }]), withValue('FileName', 'image.PNG'), true],
    ['suffix ignoring case, no match', detailPattern('FileName', [{ suffix: { 'equals-ignore-case': '.png' } }]), withValue('FileName', 'image.PNG.txt'), false],
  ],
  'equals-ignore-case': [
    ['same letters in another case', detailPattern('name', [{ 'equals-ignore-case': 'alice' }]), withValue('name', 'ALICE'), true],
    ['mixed case', detailPattern('name', [{ 'equals-ignore-case': 'AlIcE' }]), withValue('name', 'aLiCe'), true],
    ['whole value only', detailPattern('name', [{ 'equals-ignore-case': 'alice' }]), withValue('name', 'alice2'), false],
    ['non-ASCII letters', detailPattern('name', [{ 'equals-ignore-case': 'ÉTÉ' }]), withValue('name', 'été'), true],
    ['regular-expression characters are literal', detailPattern('name', [{ 'equals-ignore-case': 'a.c' }]), withValue('name', 'abc'), false],
    ['never matches non-strings', detailPattern('flag', [{ 'equals-ignore-case': 'true' }]), withValue('flag', true), false],
  ],
  'anything-but (values)': [
    ['single string, other value', detailPattern('state', [{ 'anything-but': 'initializing' }]), withValue('state', 'running'), true],
    ['single string, same value', detailPattern('state', [{ 'anything-but': 'initializing' }]), withValue('state', 'initializing'), false],
    ['single number, other value', detailPattern('x-limit', [{ 'anything-but': 123 }]), withValue('x-limit', 124), true],
    ['single number, same value', detailPattern('x-limit', [{ 'anything-but': 123 }]), withValue('x-limit', 123), false],
    ['string list, value not listed', detailPattern('state', [{ 'anything-but': ['stopped', 'overloaded'] }]), withValue('state', 'running'), true],
    ['string list, value listed', detailPattern('state', [{ 'anything-but': ['stopped', 'overloaded'] }]), withValue('state', 'overloaded'), false],
    ['number list, value not listed', detailPattern('x-limit', [{ 'anything-but': [100, 200, 300] }]), withValue('x-limit', 150), true],
    ['number list, value listed', detailPattern('x-limit', [{ 'anything-but': [100, 200, 300] }]), withValue('x-limit', 200), false],
    ['absent field never matches', detailPattern('state', [{ 'anything-but': 'initializing' }]), ec2Event({}), false],
    ['string exclusion is case-sensitive', detailPattern('state', [{ 'anything-but': 'initializing' }]), withValue('state', 'INITIALIZING'), true],
    ['a number passes a string exclusion', detailPattern('state', [{ 'anything-but': '5' }]), withValue('state', 5), true],
    ['a string passes a number exclusion', detailPattern('x-limit', [{ 'anything-but': [100] }]), withValue('x-limit', '100'), true],
    ['null passes a string exclusion', detailPattern('state', [{ 'anything-but': 'null' }]), withValue('state', null), true],
    ['event array with one value not excluded', detailPattern('tags', [{ 'anything-but': 'a' }]), withValue('tags', ['a', 'b']), true],
    ['event array with only excluded values', detailPattern('tags', [{ 'anything-but': ['a', 'b'] }]), withValue('tags', ['a', 'b']), false],
  ],
  'anything-but (operators)': [
    ['prefix, value without it', detailPattern('state', [{ 'anything-but': { prefix: 'init' } }]), withValue('state', 'running'), true],
    ['prefix, value with it', detailPattern('state', [{ 'anything-but': { prefix: 'init' } }]), withValue('state', 'initializing'), false],
    ['prefix list', detailPattern('state', [{ 'anything-but': { prefix: ['init', 'stop'] } }]), withValue('state', 'stopped'), false],
    ['prefix, a number passes', detailPattern('state', [{ 'anything-but': { prefix: '1' } }]), withValue('state', 12), true],
    ['suffix, value without it', detailPattern('FileName', [{ 'anything-but': { suffix: '.png' } }]), withValue('FileName', 'a.jpg'), true],
    ['suffix, value with it', detailPattern('FileName', [{ 'anything-but': { suffix: '.png' } }]), withValue('FileName', 'a.png'), false],
    ['suffix list', detailPattern('FileName', [{ 'anything-but': { suffix: ['.txt', '.rtf'] } }]), withValue('FileName', 'a.rtf'), false],
    ['equals-ignore-case, other value', detailPattern('state', [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }]), withValue('state', 'running'), true],
    ['equals-ignore-case, same letters', detailPattern('state', [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }]), withValue('state', 'INITIALIZING'), false],
    ['equals-ignore-case list', detailPattern('state', [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }]), withValue('state', 'Stopped'), false],
    ['wildcard, value outside', detailPattern('FilePath', [{ 'anything-but': { wildcard: '*/lib/*' } }]), withValue('FilePath', '/usr/bin/x'), true],
    ['wildcard, value inside', detailPattern('FilePath', [{ 'anything-but': { wildcard: '*/lib/*' } }]), withValue('FilePath', '/usr/lib/x'), false],
    ['wildcard list', detailPattern('FilePath', [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }]), withValue('FilePath', '/usr/bin/x'), false],
    ['operator form, absent field never matches', detailPattern('state', [{ 'anything-but': { prefix: 'init' } }]), ec2Event({}), false],
  ],
  numeric: [
    ['= equal', detailPattern('x-limit', [{ numeric: ['=', 3.018e2] }]), withValue('x-limit', 301.8), true],
    ['= not equal', detailPattern('x-limit', [{ numeric: ['=', 301.8] }]), withValue('x-limit', 301.9), false],
    ['< below', detailPattern('d-count', [{ numeric: ['<', 10] }]), withValue('d-count', 9.999999), true],
    ['< at the bound', detailPattern('d-count', [{ numeric: ['<', 10] }]), withValue('d-count', 10), false],
    ['<= at the bound', detailPattern('d-count', [{ numeric: ['<=', 10] }]), withValue('d-count', 10), true],
    ['> above', detailPattern('d-count', [{ numeric: ['>', 0] }]), withValue('d-count', 0.000001), true],
    ['> at the bound', detailPattern('d-count', [{ numeric: ['>', 0] }]), withValue('d-count', 0), false],
    ['>= at the bound', detailPattern('d-count', [{ numeric: ['>=', 0] }]), withValue('d-count', 0), true],
    ['negative values', detailPattern('d-count', [{ numeric: ['<', 0] }]), withValue('d-count', -3), true],
    ['range, inside', detailPattern('c-count', [{ numeric: ['>', 0, '<=', 5] }]), withValue('c-count', 5), true],
    ['range, open bottom excluded', detailPattern('c-count', [{ numeric: ['>', 0, '<=', 5] }]), withValue('c-count', 0), false],
    ['range, above the top', detailPattern('c-count', [{ numeric: ['>', 0, '<', 5] }]), withValue('c-count', 5), false],
    ['range, inclusive bottom', detailPattern('c-count', [{ numeric: ['>=', 0, '<', 5] }]), withValue('c-count', 0), true],
    ['a numeric string is not a number', detailPattern('c-count', [{ numeric: ['>', 0] }]), withValue('c-count', '3'), false],
    ['a boolean is not a number', detailPattern('c-count', [{ numeric: ['>', 0] }]), withValue('c-count', true), false],
    ['event values beyond 5.0e9 are not compared', detailPattern('c-count', [{ numeric: ['>', 0] }]), withValue('c-count', 6e9), false],
    ['event values at 5.0e9 are compared', detailPattern('c-count', [{ numeric: ['>=', 5e9] }]), withValue('c-count', 5e9), true],
    ['event array with one value in range', detailPattern('c-count', [{ numeric: ['>', 10] }]), withValue('c-count', [1, 20]), true],
  ],
  exists: [
    ['true, field present', { detail: { state: [{ exists: true }] } }, EXISTS_EVENT, true],
    ['true, field absent', { detail: { missing: [{ exists: true }] } }, EXISTS_EVENT, false],
    ['false, field absent', { detail: { missing: [{ exists: false }] } }, EXISTS_EVENT, true],
    ['false, field present', { detail: { state: [{ exists: false }] } }, EXISTS_EVENT, false],
    ['false, parent absent too', { detail: { parent: { child: [{ exists: false }] } } }, EXISTS_EVENT, true],
    ['false, top-level field absent', { 'trace-header': [{ exists: false }] }, EXISTS_EVENT, true],
    ['true on an object (not a leaf)', { detail: { 'c-count': [{ exists: true }] } }, EXISTS_EVENT, false],
    ['false on an object (not a leaf)', { detail: { 'c-count': [{ exists: false }] } }, EXISTS_EVENT, true],
    ['true on a null value', { detail: { nothing: [{ exists: true }] } }, EXISTS_EVENT, true],
    ['false on a null value', { detail: { nothing: [{ exists: false }] } }, EXISTS_EVENT, false],
    ['true on an empty array', { detail: { none: [{ exists: true }] } }, EXISTS_EVENT, false],
    ['false on an empty array', { detail: { none: [{ exists: false }] } }, EXISTS_EVENT, true],
    ['true on a non-empty array', { detail: { tags: [{ exists: true }] } }, EXISTS_EVENT, true],
    ['false on a non-empty array', { detail: { tags: [{ exists: false }] } }, EXISTS_EVENT, false],
    ['false or a value: value present', { detail: { state: [{ exists: false }, 'pending'] } }, EXISTS_EVENT, true],
    ['false or a value: other value present', { detail: { state: [{ exists: false }, 'running'] } }, EXISTS_EVENT, false],
  ],
  wildcard: [
    ['star in the middle', { source: [{ wildcard: 'aws.*2' }] }, ec2Event({}), true],
    ['star matches an empty run', detailPattern('f', [{ wildcard: 'a*b' }]), withValue('f', 'ab'), true],
    ['several stars', detailPattern('f', [{ wildcard: '*Title*' }]), withValue('f', 'My Title Page'), true],
    ['anchored at both ends', detailPattern('f', [{ wildcard: 'a*b' }]), withValue('f', 'xab'), false],
    ['no star: exact value', detailPattern('f', [{ wildcard: 'abc' }]), withValue('f', 'abc'), true],
    ['escaped star matches a star', detailPattern('f', [{ wildcard: 'a\\*b' }]), withValue('f', 'a*b'), true],
    ['escaped star is not a wildcard', detailPattern('f', [{ wildcard: 'a\\*b' }]), withValue('f', 'axb'), false],
    ['escaped backslash matches a backslash', detailPattern('f', [{ wildcard: 'a\\\\*' }]), withValue('f', 'a\\bc'), true],
    ['regular-expression characters are literal', detailPattern('f', [{ wildcard: 'a.c*' }]), withValue('f', 'abcd'), false],
    ['never matches numbers', detailPattern('f', [{ wildcard: '1*' }]), withValue('f', 12), false],
    ['matches across lines', detailPattern('f', [{ wildcard: 'a*z' }]), withValue('f', 'a\nz'), true],
  ],
  cidr: [
    ['IPv4 inside', detailPattern('sourceIPAddress', [{ cidr: '10.0.0.0/24' }]), withValue('sourceIPAddress', '10.0.0.255'), true],
    ['IPv4 outside', detailPattern('sourceIPAddress', [{ cidr: '10.0.0.0/24' }]), withValue('sourceIPAddress', '10.0.1.0'), false],
    ['host bits in the pattern are masked', detailPattern('sourceIPAddress', [{ cidr: '10.0.0.5/24' }]), withValue('sourceIPAddress', '10.0.0.1'), true],
    ['/32 is one address', detailPattern('sourceIPAddress', [{ cidr: '10.0.0.5/32' }]), withValue('sourceIPAddress', '10.0.0.5'), true],
    ['/0 is every IPv4 address', detailPattern('sourceIPAddress', [{ cidr: '0.0.0.0/0' }]), withValue('sourceIPAddress', '203.0.113.9'), true],
    ['IPv6 inside', detailPattern('sourceIPAddress', [{ cidr: '2001:db8::/32' }]), withValue('sourceIPAddress', '2001:DB8:0:0:1::7'), true],
    ['IPv6 outside', detailPattern('sourceIPAddress', [{ cidr: '2001:db8::/32' }]), withValue('sourceIPAddress', '2001:db9::1'), false],
    ['IPv4 value against an IPv6 block', detailPattern('sourceIPAddress', [{ cidr: '::/0' }]), withValue('sourceIPAddress', '10.0.0.1'), false],
    ['non-address string', detailPattern('sourceIPAddress', [{ cidr: '10.0.0.0/8' }]), withValue('sourceIPAddress', 'ec2.amazonaws.com'), false],
    ['exact IPv6 string matches another spelling', detailPattern('sourceIPAddress', ['2001:db8::1']), withValue('sourceIPAddress', '2001:0DB8:0:0:0:0:0:1'), true],
    ['exact IPv4 string, other address', detailPattern('sourceIPAddress', ['10.0.0.1']), withValue('sourceIPAddress', '10.0.0.2'), false],
  ],
  $or: [
    ['top level, first alternative', { source: ['aws.ec2'], $or: [{ region: ['us-west-1'] }, { account: ['999'] }] }, ec2Event({}), true],
    ['top level, second alternative', { source: ['aws.ec2'], $or: [{ region: ['eu-west-1'] }, { account: ['111122223333'] }] }, ec2Event({}), true],
    ['top level, no alternative', { source: ['aws.ec2'], $or: [{ region: ['eu-west-1'] }, { account: ['999'] }] }, ec2Event({}), false],
    ['sibling field still required', { source: ['aws.s3'], $or: [{ region: ['us-west-1'] }, { account: ['999'] }] }, ec2Event({}), false],
    ['nested under detail', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, ec2Event({ 'd-count': 3 }), true],
    ['nested under detail, none', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, ec2Event({ 'd-count': 30 }), false],
    ['alternative with several fields (AND inside)', { $or: [{ source: ['aws.ec2'], region: ['eu-west-1'] }, { account: ['999'] }] }, ec2Event({}), false],
    ['$or inside $or', { $or: [{ account: ['999'] }, { source: ['aws.ec2'], detail: { $or: [{ a: [1] }, { b: [2] }] } }] }, ec2Event({ b: 2 }), true],
    ['$or inside $or, inner fails', { $or: [{ account: ['999'] }, { source: ['aws.ec2'], detail: { $or: [{ a: [1] }, { b: [2] }] } }] }, ec2Event({ b: 3 }), false],
    ['parallel $or: both must hold', { $or: [{ region: ['us-west-1'] }, { account: ['999'] }], detail: { $or: [{ a: [1] }, { b: [2] }] } }, ec2Event({ a: 9 }), false],
    ['a field inside $or overrides the same field before it', { source: ['aws.s3'], $or: [{ source: ['aws.ec2'] }, { account: ['999'] }] }, ec2Event({}), true],
  ],
  'several matchers in one list': [
    ['prefix or exact, exact matches', detailPattern('state', [{ prefix: 'init' }, 'running']), withValue('state', 'running'), true],
    ['prefix or exact, prefix matches', detailPattern('state', [{ prefix: 'init' }, 'running']), withValue('state', 'initializing'), true],
    ['prefix or exact, neither', detailPattern('state', [{ prefix: 'init' }, 'running']), withValue('state', 'stopped'), false],
    ['numeric ranges either side', detailPattern('n', [{ numeric: ['<', 0] }, { numeric: ['>', 100] }]), withValue('n', 50), false],
    ['numeric ranges either side, matches', detailPattern('n', [{ numeric: ['<', 0] }, { numeric: ['>', 100] }]), withValue('n', 101), true],
  ],
  'whole event': [
    ['envelope fields and detail together', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], account: ['111122223333'], region: [{ prefix: 'us-' }], detail: { state: ['terminated'] } }, ec2Event({ state: 'terminated' }), true],
    ['resources array', { resources: [{ suffix: 'i-1234567890abcdef0' }] }, ec2Event({}), true],
    ['one envelope field differs', { source: ['aws.ec2'], region: ['eu-west-1'] }, ec2Event({}), false],
    ['account given as a number does not match the string', { account: [111122223333] }, ec2Event({}), false],
  ],
  'input forms': [
    ['pattern as JSON text', '{"source": ["aws.ec2"]}', ec2Event({}), true],
    ['event as JSON text', { source: ['aws.ec2'] }, JSON.stringify(ec2Event({})), true],
    ['duplicate key in JSON text: the last one is used', '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}', withValue('location', 'eu-west'), true],
    ['duplicate key in JSON text: the first one is ignored', '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}', withValue('location', 'us-east'), false],
  ],
};

describe('EventBridge pattern matching', () => {
  describe.each(Object.entries(CASES))('%s', (_feature, cases) => {
    it.each(cases)('%s', (_description, pattern, event, expected) => {
      expect(compilePattern(pattern).matches(event)).toBe(expected);
    });
  });

  it('matchesPattern compiles and matches in one call', () => {
    expect(matchesPattern({ source: ['aws.ec2'] }, ec2Event({}))).toBe(true);
    expect(matchesPattern({ source: ['aws.s3'] }, ec2Event({}))).toBe(false);
  });

  it.each([
    ['a string that is not JSON', 'not json'],
    ['an array', [ec2Event({})]],
    ['null', null],
  ])('refuses an event that is %s', (_description, event) => {
    expect(() => compilePattern({ source: ['aws.ec2'] }).matches(event)).toThrow(TypeError);
  });
});

type InvalidCase = [description: string, pattern: unknown, reason: RegExp, path: string];

const INVALID_PATTERNS: InvalidCase[] = [
  ['pattern text that is not JSON', '{"source": [', /not valid JSON/, '$'],
  ['pattern that is not an object', '["aws.ec2"]', /must be a JSON object/, '$'],
  ['empty pattern', {}, /empty objects/, '$'],
  ['empty nested object', { detail: {} }, /empty objects/, '$.detail'],
  ['leaf that is a string, not a list', { source: 'aws.ec2' }, /must be an object or an array/, '$.source'],
  ['leaf that is a number, not a list', { detail: { n: 5 } }, /must be an object or an array/, '$.detail.n'],
  ['empty value list', { source: [] }, /empty arrays/, '$.source'],
  ['nested list as a value', { source: [['aws.ec2']] }, /match value must be/, '$.source[0]'],
  ['operator object without a name', { source: [{}] }, /no operator name/, '$.source[0]'],
  ['operator object with two names', { source: [{ prefix: 'a', suffix: 'b' }] }, /only one key/, '$.source[0]'],
  ['unknown operator', { source: [{ contains: 'ec2' }] }, /unrecognized match type "contains"/, '$.source[0]'],
  ['undocumented "exactly" operator', { source: [{ exactly: 'aws.ec2' }] }, /unrecognized match type "exactly"/, '$.source[0]'],
  ['prefix with a number', { source: [{ prefix: 5 }] }, /prefix match pattern must be a string/, '$.source[0].prefix'],
  ['prefix with an unknown inner operator', { source: [{ prefix: { wildcard: 'a*' } }] }, /unsupported prefix pattern "wildcard"/, '$.source[0].prefix'],
  ['prefix ignoring case with a number', { source: [{ prefix: { 'equals-ignore-case': 1 } }] }, /equals-ignore-case match pattern must be a string/, '$.source[0].prefix["equals-ignore-case"]'],
  ['suffix with a list', { source: [{ suffix: ['a'] }] }, /suffix match pattern must be a string/, '$.source[0].suffix'],
  ['equals-ignore-case with a list', { source: [{ 'equals-ignore-case': ['a'] }] }, /must be a string/, '$.source[0]["equals-ignore-case"]'],
  ['anything-but with a boolean', { state: [{ 'anything-but': true }] }, /anything-but takes/, '$.state[0]["anything-but"]'],
  ['anything-but with null', { state: [{ 'anything-but': null }] }, /anything-but takes/, '$.state[0]["anything-but"]'],
  ['anything-but with mixed strings and numbers', { state: [{ 'anything-but': ['a', 1] }] }, /only strings or only numbers/, '$.state[0]["anything-but"]'],
  ['anything-but with an empty list', { state: [{ 'anything-but': [] }] }, /non-empty list/, '$.state[0]["anything-but"]'],
  ['anything-but with an unsupported operator', { state: [{ 'anything-but': { numeric: ['>', 1] } }] }, /unsupported anything-but pattern "numeric"/, '$.state[0]["anything-but"]'],
  ['anything-but prefix with a number', { state: [{ 'anything-but': { prefix: 1 } }] }, /prefix match pattern must be a string/, '$.state[0]["anything-but"].prefix'],
  ['anything-but prefix that is empty', { state: [{ 'anything-but': { prefix: '' } }] }, /empty prefix or suffix/, '$.state[0]["anything-but"].prefix'],
  ['anything-but suffix list with an empty entry', { state: [{ 'anything-but': { suffix: ['.png', ''] } }] }, /empty prefix or suffix/, '$.state[0]["anything-but"].suffix[1]'],
  ['anything-but prefix with an empty list', { state: [{ 'anything-but': { prefix: [] } }] }, /empty arrays/, '$.state[0]["anything-but"].prefix'],
  ['anything-but wildcard with consecutive stars', { state: [{ 'anything-but': { wildcard: 'a**' } }] }, /consecutive wildcard/, '$.state[0]["anything-but"].wildcard'],
  ['anything-but number beyond 5.0e9', { n: [{ 'anything-but': [1, 6e9] }] }, /between -5.0E9 and 5.0E9/, '$.n[0]["anything-but"][1]'],
  ['numeric that is not a list', { n: [{ numeric: '>' }] }, /must be an array/, '$.n[0].numeric'],
  ['numeric that is an empty list', { n: [{ numeric: [] }] }, /invalid member in numeric match/, '$.n[0].numeric[0]'],
  ['numeric with an unknown operator', { n: [{ numeric: ['!=', 1] }] }, /unrecognized numeric range operator "!="/, '$.n[0].numeric[0]'],
  ['numeric with a string operand', { n: [{ numeric: ['>', '1'] }] }, /value of > must be numeric/, '$.n[0].numeric[1]'],
  ['numeric without an operand', { n: [{ numeric: ['='] }] }, /value of = must be numeric/, '$.n[0].numeric[1]'],
  ['numeric = with extra terms', { n: [{ numeric: ['=', 1, '<', 2] }] }, /too many elements/, '$.n[0].numeric[2]'],
  ['numeric range upper bound first', { n: [{ numeric: ['<', 5, '>', 0] }] }, /too many elements/, '$.n[0].numeric[2]'],
  ['numeric range with two lower bounds', { n: [{ numeric: ['>', 0, '>', 5] }] }, /bad numeric range operator/, '$.n[0].numeric[2]'],
  ['numeric range with a missing top', { n: [{ numeric: ['>', 0, '<'] }] }, /value of < must be numeric/, '$.n[0].numeric[3]'],
  ['numeric range with extra terms', { n: [{ numeric: ['>', 0, '<', 5, '<', 6] }] }, /too many elements/, '$.n[0].numeric[4]'],
  ['numeric range bottom above top', { n: [{ numeric: ['>', 5, '<', 0] }] }, /bottom of a numeric range must be less than its top/, '$.n[0].numeric'],
  ['numeric range bottom equal to top', { n: [{ numeric: ['>=', 5, '<=', 5] }] }, /bottom of a numeric range must be less than its top/, '$.n[0].numeric'],
  ['numeric operand beyond 5.0e9', { n: [{ numeric: ['<', 5.1e9] }] }, /between -5.0E9 and 5.0E9/, '$.n[0].numeric[1]'],
  ['numeric operand with seven decimals', { n: [{ numeric: ['<', 0.0000001] }] }, /up to 6 decimals/, '$.n[0].numeric[1]'],
  ['exists with a string', { n: [{ exists: 'true' }] }, /either true or false/, '$.n[0].exists'],
  ['exists with null', { n: [{ exists: null }] }, /either true or false/, '$.n[0].exists'],
  ['cidr with a number', { ip: [{ cidr: 10 }] }, /cidr match pattern must be a string/, '$.ip[0].cidr'],
  ['cidr without a mask', { ip: [{ cidr: '10.0.0.0' }] }, /one '\/' required/, '$.ip[0].cidr'],
  ['cidr with two slashes', { ip: [{ cidr: '10.0.0.0/8/8' }] }, /one '\/' required/, '$.ip[0].cidr'],
  ['cidr with a word for a mask', { ip: [{ cidr: '10.0.0.0/foo' }] }, /mask bits must be/, '$.ip[0].cidr'],
  ['cidr with a negative mask', { ip: [{ cidr: '10.0.0.0/-3' }] }, /mask bits must be/, '$.ip[0].cidr'],
  ['cidr with an IPv4 mask above 32', { ip: [{ cidr: '192.168.0.1/33' }] }, /IPv4 mask bits must be at most 32/, '$.ip[0].cidr'],
  ['cidr with an IPv6 mask above 128', { ip: [{ cidr: '2400:6500:FF00::36FB:1F80/222' }] }, /IPv6 mask bits must be at most 128/, '$.ip[0].cidr'],
  ['cidr with an octet above 255', { ip: [{ cidr: '700.168.0.1/8' }] }, /invalid IP address/, '$.ip[0].cidr'],
  ['cidr with five octets', { ip: [{ cidr: '10.10.10.10.10/3' }] }, /invalid IP address/, '$.ip[0].cidr'],
  ['cidr with too many IPv6 groups', { ip: [{ cidr: '2400:6500:3:3:3:3:3:3:3:3FF00::36FB:1F80/122' }] }, /invalid IP address/, '$.ip[0].cidr'],
  ['cidr with a host name', { ip: [{ cidr: 'snorkle/3' }] }, /invalid IP address/, '$.ip[0].cidr'],
  ['wildcard with consecutive stars', { f: [{ wildcard: 'a**b' }] }, /consecutive wildcard characters at position 1/, '$.f[0].wildcard'],
  ['wildcard escaping another character', { f: [{ wildcard: 'a\\b' }] }, /invalid escape character at position 1/, '$.f[0].wildcard'],
  ['wildcard ending in a lone backslash', { f: [{ wildcard: 'a\\' }] }, /invalid escape character at position 1/, '$.f[0].wildcard'],
  ['wildcard with a number', { f: [{ wildcard: 1 }] }, /wildcard match pattern must be a string/, '$.f[0].wildcard'],
  ['$or that is an object', { $or: { a: ['x'] } }, /\$or must be an array/, '$.$or'],
  ['$or with one object', { $or: [{ a: ['x'] }] }, /at least 2 objects/, '$.$or'],
  ['$or with an empty list', { $or: [] }, /at least 2 objects/, '$.$or'],
  ['$or with a string', { $or: [{ a: ['x'] }, 'b'] }, /only objects/, '$.$or[1]'],
  ['$or with an empty object', { $or: [{ a: ['x'] }, {}] }, /empty objects/, '$.$or[1]'],
  ['operator name used as a field inside $or', { $or: [{ numeric: [123] }, { prefix: ['abc'] }] }, /"numeric" is an operator name/, '$.$or[0].numeric'],
  ['operator name nested inside $or', { $or: [{ a: ['x'] }, { detail: { exists: ['y'] } }] }, /"exists" is an operator name/, '$.$or[1].detail.exists'],
  ['invalid leaf deep inside $or', { detail: { $or: [{ a: ['x'] }, { b: [{ numeric: ['>', 'z'] }] }] } }, /value of > must be numeric/, '$.detail.$or[1].b[0].numeric[1]'],
  ['non-finite number from an object pattern', { n: [Number.NaN] }, /match value must be/, '$.n[0]'],
  ['undefined leaf from an object pattern', { n: undefined }, /must be an object or an array/, '$.n'],
];

describe('invalid event patterns', () => {
  it.each(INVALID_PATTERNS)('refuses %s', (_description, pattern, reason, path) => {
    const error = captureError(() => compilePattern(pattern));
    expect(error).toBeInstanceOf(InvalidEventPatternError);
    expect(error).toMatchObject({ name: 'InvalidEventPatternError', path });
    expect((error as InvalidEventPatternError).reason).toMatch(reason);
    expect((error as InvalidEventPatternError).message).toContain(`(at ${path})`);
  });

  it.each([
    ['a field named like an operator outside $or', { detail: { prefix: ['x'] } }],
    ['an empty prefix', { source: [{ prefix: '' }] }],
    ['exact numbers beyond the numeric limit', { account: [123456789012] }],
    ['a single-value numeric anything-but', { n: [{ 'anything-but': 5 }] }],
    ['every operator together', { a: [{ prefix: 'x' }, { suffix: 'y' }, { 'equals-ignore-case': 'z' }, { wildcard: '*' }, { numeric: ['=', 1] }, { cidr: '::1/128' }, { exists: true }, { 'anything-but': 'q' }, 'v', 1, true, null] }],
  ])('accepts %s', (_description, pattern) => {
    expect(() => compilePattern(pattern)).not.toThrow();
  });

  it('keeps the JSON parser error as the cause', () => {
    const error = captureError(() => compilePattern('{'));
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}
