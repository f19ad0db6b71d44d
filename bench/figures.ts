import { readFile, writeFile } from 'node:fs/promises';
import * as z from 'zod';

/**
 * One performance figure. `value` is always a ratio (or another dimensionless number) against `baseline`,
 * measured in the same run: absolute timings on a shared 2-core machine say little, ratios travel.
 */
export interface Figure {
  /** `<group>.<what>`: the part before the first dot names the group that owns the figure. */
  id: string;
  value: number;
  unit: string;
  better: 'lower' | 'higher';
  /** What the value is a ratio to, in words. */
  baseline: string;
  /** The absolute numbers behind the ratio. Scalars first: they make the table's short detail. */
  detail: Record<string, unknown>;
}

const FigureSchema = z.object({
  id: z.string().min(1),
  value: z.number(),
  unit: z.string(),
  better: z.enum(['lower', 'higher']),
  baseline: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

export function groupOf(figure: Pick<Figure, 'id'>): string {
  const dot = figure.id.indexOf('.');
  return dot === -1 ? figure.id : figure.id.slice(0, dot);
}

/**
 * The results file after a run of `ranGroups`: their figures are replaced by `fresh` (a group that failed
 * part-way is replaced by what it did measure, so stale figures never pass for current ones), every other
 * group's figures are kept. Groups are ordered by name; within a group the producing order is kept.
 */
export function mergeFigures(existing: readonly Figure[], fresh: readonly Figure[], ranGroups: readonly string[]): Figure[] {
  const ran = new Set(ranGroups);
  const kept = existing.filter((figure) => !ran.has(groupOf(figure)));
  // Array.prototype.sort is stable, so figures of one group keep their relative order.
  return [...kept, ...fresh].sort((a, b) => compareStrings(groupOf(a), groupOf(b)));
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export class ResultsFileError extends Error {
  override readonly name = 'ResultsFileError';
}

export function parseResults(text: string, source: string): Figure[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ResultsFileError(`${source} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = z.array(FigureSchema).safeParse(document);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ResultsFileError(`${source} is not an array of figures: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return result.data;
}

/** Reads the results file; a missing file is an empty one. */
export async function readResults(path: string): Promise<Figure[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return parseResults(text, path);
}

export async function writeResults(path: string, figures: readonly Figure[]): Promise<void> {
  await writeFile(path, `${JSON.stringify(figures, null, 2)}\n`);
}

/** Three significant-ish digits: ratios near 1 need two decimals, large numbers none. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/**
 * The detail column: the detail's scalar entries in their order (`ms=48.1 emptyMs=21.3 runs=15`), cut at
 * `width` characters. Arrays and objects stay in results.json.
 */
export function shortDetail(detail: Record<string, unknown>, width = 72): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (typeof value === 'number') parts.push(`${key}=${Number.isInteger(value) ? String(value) : formatValue(value)}`);
    else if (typeof value === 'string' || typeof value === 'boolean') parts.push(`${key}=${String(value)}`);
  }
  const text = parts.join(' ');
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

const COLUMNS = ['id', 'value', 'unit', 'better', 'baseline', 'detail'] as const;

/** A plain-text table for a person; numbers right-aligned. */
export function renderTable(figures: readonly Figure[]): string {
  if (figures.length === 0) return '(no figures)';
  const rows = figures.map((figure) => [
    figure.id,
    formatValue(figure.value),
    figure.unit,
    figure.better,
    figure.baseline,
    shortDetail(figure.detail),
  ]);
  const widths = COLUMNS.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return column === 1 ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
