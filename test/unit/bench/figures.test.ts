import { describe, expect, it } from '@jest/globals';
import { type Figure, formatValue, mergeFigures, parseResults, renderTable, ResultsFileError, shortDetail } from '../../../bench/figures.ts';

function figure(id: string, value = 1, detail: Record<string, unknown> = {}): Figure {
  return { id, value, unit: 'x', better: 'lower', baseline: 'an empty handler', detail };
}

describe('mergeFigures', () => {
  it('replaces the figures of the groups that ran and keeps the others', () => {
    const existing = [figure('coldstart.init_vs_empty', 2), figure('coldstart.old_function.init_vs_empty', 3), figure('logs.throughput', 5)];
    const fresh = [figure('coldstart.init_vs_empty', 1.5), figure('coldstart.f.init_vs_empty', 1.5)];

    const merged = mergeFigures(existing, fresh, ['coldstart']);

    expect(merged.map((f) => [f.id, f.value])).toEqual([
      ['coldstart.init_vs_empty', 1.5],
      ['coldstart.f.init_vs_empty', 1.5],
      ['logs.throughput', 5],
    ]);
  });

  it('removes the figures of a group that ran and produced none (it failed: stale figures must not pass for current)', () => {
    const merged = mergeFigures([figure('coldstart.init_vs_empty'), figure('tags.diff')], [], ['coldstart']);

    expect(merged.map((f) => f.id)).toEqual(['tags.diff']);
  });

  it('orders groups by name and keeps the producing order inside a group', () => {
    const existing = [figure('upgrade.z'), figure('logs.b'), figure('logs.a')];
    const fresh = [figure('scan.y'), figure('scan.x'), figure('coldstart.q')];

    const merged = mergeFigures(existing, fresh, ['scan', 'coldstart']);

    expect(merged.map((f) => f.id)).toEqual(['coldstart.q', 'logs.b', 'logs.a', 'scan.y', 'scan.x', 'upgrade.z']);
  });

  it('keeps figures of groups no longer registered when other groups run', () => {
    const merged = mergeFigures([figure('retired.thing')], [figure('coldstart.a')], ['coldstart']);

    expect(merged.map((f) => f.id)).toEqual(['coldstart.a', 'retired.thing']);
  });
});

describe('parseResults', () => {
  it('reads back what the bench writes', () => {
    const figures = [figure('coldstart.init_vs_empty', 1.8, { function: 'f', ms: 12 })];

    expect(parseResults(JSON.stringify(figures), 'results.json')).toEqual(figures);
  });

  it('rejects a file that is not JSON, naming it', () => {
    expect(() => parseResults('{', 'bench/results.json')).toThrow(ResultsFileError);
    expect(() => parseResults('{', 'bench/results.json')).toThrow(/bench\/results\.json is not JSON/);
  });

  it('rejects JSON that is not an array of figures, saying where', () => {
    const text = JSON.stringify([{ id: 'a.b', value: 'fast', unit: 'x', better: 'lower', baseline: '', detail: {} }]);

    expect(() => parseResults(text, 'results.json')).toThrow(/results\.json is not an array of figures: 0\.value/);
  });
});

describe('formatValue', () => {
  it.each([
    [1.8, '1.80'],
    [0.953, '0.95'],
    [12.345, '12.3'],
    [4530.7, '4531'],
    [-2.5, '-2.50'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('%p → %p', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });
});

describe('shortDetail', () => {
  it('lists scalar entries in order and leaves arrays and objects to the file', () => {
    const detail = { ms: 48.123, emptyMs: 3, runs: 15, samplesMs: [1, 2], top: { zod: 1 }, function: 'f', ok: true };

    expect(shortDetail(detail)).toBe('ms=48.1 emptyMs=3 runs=15 function=f ok=true');
  });

  it('cuts at the width with an ellipsis', () => {
    const text = shortDetail({ bytes: 1173456, gzipBytes: 304140, emptyBytes: 259 }, 30);

    expect(text).toBe('bytes=1173456 gzipBytes=30414…');
    expect(text).toHaveLength(30);
  });
});

describe('renderTable', () => {
  it('aligns columns, right-aligns values and shows the short detail', () => {
    const table = renderTable([
      figure('coldstart.init_vs_empty', 69.165, { function: 'clusterOnboarding', ms: 207.62 }),
      figure('coldstart.clusterOnboarding.size_vs_empty', 4530.7, { bytes: 1173456 }),
    ]);

    expect(table).toBe(
      [
        'id                                         value  unit  better  baseline          detail',
        '-----------------------------------------  -----  ----  ------  ----------------  ---------------------------------',
        'coldstart.init_vs_empty                     69.2  x     lower   an empty handler  function=clusterOnboarding ms=208',
        'coldstart.clusterOnboarding.size_vs_empty   4531  x     lower   an empty handler  bytes=1173456',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to show', () => {
    expect(renderTable([])).toBe('(no figures)');
  });
});
