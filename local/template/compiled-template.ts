import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The CloudFormation template `sls package` compiles: the sandbox routes events by its EventPatterns and
 * runs its state machine definitions, and the deployment tests check it. Packaging takes a while, so the
 * result is reused while nothing it is made from has changed (serverless.yml, deploy/, the configuration,
 * the state machine definitions, the lock file).
 */
export interface CloudFormationTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: unknown; Condition?: string }>;
  Outputs?: Record<string, unknown>;
}

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVERLESS_DIR = path.join(PROJECT_ROOT, '.serverless');
const TEMPLATE_FILE = path.join(SERVERLESS_DIR, 'cloudformation-template-update-stack.json');
const STAMP_FILE = path.join(SERVERLESS_DIR, 'eksops-inputs.sha256');
const LOCK_DIR = path.join(PROJECT_ROOT, '.serverless-packaging.lock');
/** `sls package` of every function on a 2-core machine; generous, but a hung packaging must not hang CI. */
const PACKAGE_TIMEOUT_MS = 8 * 60_000;

export class PackagingError extends Error {
  override readonly name = 'PackagingError';
}

export async function compiledTemplate(options: { log?: (line: string) => void } = {}): Promise<CloudFormationTemplate> {
  if (!(await isCurrent(await inputsStamp()))) {
    // Several processes (test runs, the sandbox) may want the template at once: one packages, the others wait.
    await withPackagingLock(async () => {
      const stamp = await inputsStamp();
      if (await isCurrent(stamp)) return;
      options.log?.('Packaging the service (npx sls package) to compile the CloudFormation template …');
      await runPackage();
      await writeFile(STAMP_FILE, stamp);
    });
  }
  return JSON.parse(await readFile(TEMPLATE_FILE, 'utf8')) as CloudFormationTemplate;
}

async function isCurrent(stamp: string): Promise<boolean> {
  return existsSync(STAMP_FILE) && existsSync(TEMPLATE_FILE) && (await readFile(STAMP_FILE, 'utf8')) === stamp;
}

async function withPackagingLock(work: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + PACKAGE_TIMEOUT_MS;
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than the packaging timeout was left by a process that died.
      const age = Date.now() - (await stat(LOCK_DIR).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > PACKAGE_TIMEOUT_MS) await rm(LOCK_DIR, { recursive: true, force: true });
      if (Date.now() > deadline) throw new PackagingError(`another process has been packaging the service for too long (${LOCK_DIR})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    await work();
  } finally {
    await rm(LOCK_DIR, { recursive: true, force: true });
  }
}

async function inputsStamp(): Promise<string> {
  const hash = createHash('sha256');
  const files = [
    'serverless.yml',
    'package-lock.json',
    configFile(),
    ...(await filesUnder('deploy')),
    ...(await filesUnder('serverless')),
    ...(await filesUnder('functions')).filter((file) => file.endsWith('.asl.yml') || file.endsWith('.asl.json')),
  ];
  for (const file of files.sort()) {
    hash.update(file);
    hash.update(existsSync(path.resolve(PROJECT_ROOT, file)) ? await readFile(path.resolve(PROJECT_ROOT, file)) : 'missing');
  }
  return hash.digest('hex');
}

/** The same resolution as deploy/config.cjs. */
function configFile(): string {
  if (process.env.EKSOPS_CONFIG_FILE) return process.env.EKSOPS_CONFIG_FILE;
  return existsSync(path.join(PROJECT_ROOT, 'eksops.config.yml')) ? 'eksops.config.yml' : 'eksops.config.example.yml';
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(PROJECT_ROOT, dir), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(PROJECT_ROOT, path.join(entry.parentPath, entry.name)));
}

function runPackage(): Promise<void> {
  return new Promise((resolve, reject) => {
    const sls = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'sls');
    // No AWS credentials are needed or wanted: packaging must work offline.
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' };
    const child = spawn(sls, ['package'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // osls leaves esbuild's service process running after a failed build, and then never exits.
    const timer = setTimeout(() => killGroup(child.pid), PACKAGE_TIMEOUT_MS);
    const failed = setInterval(() => {
      if (/^Error:/m.test(output)) killGroup(child.pid);
    }, 500);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(failed);
      if (code === 0) resolve();
      else reject(new PackagingError(`sls package failed (exit ${code ?? 'killed'}):\n${output.trim().split('\n').slice(-40).join('\n')}`));
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
