import { describe, expect, it } from '@jest/globals';
import { parseBenchArguments } from '../../../bench/arguments.ts';

const known = ['coldstart', 'logs'];

describe('parseBenchArguments', () => {
  it('runs every group when none is named', () => {
    expect(parseBenchArguments([], known)).toEqual({ kind: 'run', groups: ['coldstart', 'logs'] });
  });

  it('runs the named groups in registry order, once each', () => {
    expect(parseBenchArguments(['logs', 'coldstart', 'logs'], known)).toEqual({ kind: 'run', groups: ['coldstart', 'logs'] });
  });

  it('lists the known groups when a name is unknown', () => {
    expect(parseBenchArguments(['scan'], known)).toEqual({ kind: 'error', message: 'unknown group scan; known groups: coldstart, logs' });
  });

  it('shows help for --help and -h, even beside other arguments', () => {
    expect(parseBenchArguments(['--help'], known)).toEqual({ kind: 'help' });
    expect(parseBenchArguments(['coldstart', '-h'], known)).toEqual({ kind: 'help' });
  });

  it('rejects unknown options', () => {
    expect(parseBenchArguments(['--runs=3'], known)).toEqual({ kind: 'error', message: 'unknown option --runs=3 (try --help)' });
  });
});
