import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const RESULT_PREFIX = 'bench-import-ms=';

/**
 * Runs in a fresh Node process: the time of the bundle's first import (module load, top-level code, client
 * construction at module scope) — what Lambda's INIT phase spends on our code. It then checks the export
 * Lambda will call, and exits at once so a module-scope handle cannot hold the process open.
 */
const CHILD_SCRIPT = `
const [url, exportName] = process.argv.slice(1);
const start = performance.now();
const module = await import(url);
const elapsed = performance.now() - start;
if (typeof module[exportName] !== 'function') {
  console.error('the bundle exports no function named ' + exportName);
  process.exit(3);
}
process.stdout.write('\\n${RESULT_PREFIX}' + elapsed + '\\n');
process.exit(0);
`;

export class ImportTimeoutError extends Error {
  override readonly name = 'ImportTimeoutError';
}

export class ImportFailedError extends Error {
  override readonly name = 'ImportFailedError';
}

export interface ImportRun {
  /** The Node binary: the bench's own, checked to be the Lambda runtime's major. */
  nodePath: string;
  /** The child's whole environment: nothing is inherited (no NODE_OPTIONS from tsx, no compile cache). */
  environment: Record<string, string>;
  timeoutMs: number;
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** Milliseconds the first `import()` of `bundleFile` took in a fresh process. */
export function measureImport(bundleFile: string, exportName: string, run: ImportRun): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.nodePath, ['--input-type=module', '-e', CHILD_SCRIPT, pathToFileURL(bundleFile).href, exportName], {
      env: run.environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ImportFailedError(`could not start ${run.nodePath}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new ImportTimeoutError(`the import did not finish within ${run.timeoutMs / 1000} s (killed)`));
        return;
      }
      const line = stdout.split('\n').findLast((candidate) => candidate.startsWith(RESULT_PREFIX));
      const ms = line === undefined ? Number.NaN : Number(line.slice(RESULT_PREFIX.length));
      if (code !== 0 || !Number.isFinite(ms)) {
        const status = signal === null ? `exit code ${code}` : `signal ${signal}`;
        reject(new ImportFailedError(`the import failed (${status})${stderr.trim() === '' ? '' : `:\n${lastLines(stderr, 15)}`}`));
        return;
      }
      resolve(ms);
    });
  });
}
