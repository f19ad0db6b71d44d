import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { firstLine, forkBenchModule } from '../logs/child.ts';
import { buildPayloads } from '../logs/payload.ts';
import type { BenchPayloadFile, SubjectName, SubjectSample } from '../logs/subject-process.ts';
import type { Figure } from '../figures.ts';
import type { BenchContext, BenchGroup, GroupOutcome } from '../group.ts';
import { median, round } from '../stats.ts';

/** 1 MB compressed, as the realistic payload: several MB once unzipped. */
const TARGET_COMPRESSED_BYTES = 1024 * 1024;
/** Measured rounds per subject, interleaved so that machine noise hits every subject alike. */
const ROUNDS = 11;
/** Rounds first run and not counted: each subject's process compiles its hot code in the first few passes. */
const WARM_UP_ROUNDS = 3;
const PEAK_RSS_LIMIT_MB = 256;

async function runLogs(context: BenchContext): Promise<GroupOutcome> {
  const { repoRoot, progress } = context;
  progress('logs: building the payloads (1 MB compressed of audit, authenticator and klog lines)');
  const payloads = buildPayloads(repoRoot, TARGET_COMPRESSED_BYTES);
  const events = payloads.reduce((sum, payload) => sum + payload.events, 0);
  const compressedBytes = payloads.reduce((sum, payload) => sum + payload.compressedBytes, 0);
  const rawBytes = payloads.reduce((sum, payload) => sum + payload.rawBytes, 0);

  const directory = await mkdtemp(path.join(tmpdir(), 'eksops-bench-logs-'));
  const sink = forkBenchModule('./sink-process.ts');
  const children: ChildProcess[] = [sink];
  try {
    const payloadFile = path.join(directory, 'payloads.json');
    await writeFile(payloadFile, JSON.stringify({ events: payloads.map((payload) => payload.event), audit: payloads.map((payload) => payload.logStream.startsWith('kube-apiserver-audit-')) } satisfies BenchPayloadFile));
    const port = Number(await firstLine(sink));
    const sinkUrl = `http://127.0.0.1:${port}`;
    // The path (decode → parse → filter/redact → serialize → POST) has no compression, and the floor
    // has none: the figures use an uncompressed destination; the gzip cost is measured beside them.
    const order: SubjectName[] = ['forwarder', 'blueprint', 'floor', 'gzip'];
    const subjects = new Map<SubjectName, ChildProcess>();
    for (const name of order) {
      const child = forkBenchModule('./subject-process.ts', [name, payloadFile, String(port), repoRoot]);
      children.push(child);
      await nextMessage(child);
      subjects.set(name, child);
    }
    const samples: Record<SubjectName, SubjectSample[]> = { forwarder: [], blueprint: [], floor: [], gzip: [] };
    // Warm-up rounds (JIT, connection pools) first, not counted. Subjects run one at a time, each in its own
    // process; the order rotates every round, so that no subject always runs next to the same neighbour.
    for (let round = 1 - WARM_UP_ROUNDS; round <= ROUNDS; round++) {
      progress(`logs: round ${round}/${ROUNDS}${round <= 0 ? ' (warm-up)' : ''}`);
      for (let index = 0; index < order.length; index++) {
        const name = order[(index + round + WARM_UP_ROUNDS) % order.length] as SubjectName;
        const child = subjects.get(name) as ChildProcess;
        child.send('run');
        const measured = (await nextMessage(child)) as SubjectSample;
        if (round > 0) samples[name].push(measured);
      }
    }
    const forwarderWall = samples.forwarder.map((sample) => sample.wallMs);
    const forwarderCpu = samples.forwarder.map((sample) => sample.cpuMs);
    const blueprintWall = samples.blueprint.map((sample) => sample.wallMs);
    const floorCpu = samples.floor.map((sample) => sample.cpuMs);
    const floorWall = samples.floor.map((sample) => sample.wallMs);
    const gzipCpu = samples.gzip.map((sample) => sample.cpuMs);

    progress('logs: peak memory of one cold process forwarding every payload');
    const { peakMb: peakRssMb, loadedMb } = await measurePeakRss(payloadFile, sinkUrl);

    const forwarderEps = events / (median(forwarderWall) / 1000);
    const blueprintEps = events / (median(blueprintWall) / 1000);
    // Each figure is the median of the ratios of one round: subjects of a round ran one after the other, so a
    // burst of noise from the machine's neighbours weighs on both sides of a ratio, where a ratio of medians
    // taken over different rounds would move with it.
    const throughputRatio = median(forwarderWall.map((ms, index) => (blueprintWall[index] ?? Number.NaN) / ms));
    const cpuRatio = median(forwarderCpu.map((ms, index) => ms / (floorCpu[index] ?? Number.NaN)));
    // The floor's own speed against the blueprint: the most any forwarder that does the floor's work on one
    // thread can reach, HTTP left out.
    const floorVsBlueprint = median(floorWall.map((ms, index) => (blueprintWall[index] ?? Number.NaN) / ms));
    const sizes = { events, compressedKb: round(compressedBytes / 1024, 0), rawMb: round(rawBytes / 1024 / 1024, 2) };
    const figures: Figure[] = [
      {
        id: 'logs.throughput_vs_blueprint',
        value: round(throughputRatio, 3),
        unit: 'x',
        better: 'higher',
        baseline: 'events/s of the AWS OpenSearch blueprint (serverless-es-logs logsToEs.js), same payloads and loopback sink',
        detail: { eps: round(forwarderEps, 0), blueprintEps: round(blueprintEps, 0), ms: round(median(forwarderWall), 1), blueprintMs: round(median(blueprintWall), 1), floorVsBlueprint: round(floorVsBlueprint, 2), rounds: ROUNDS, ...sizes, samplesMs: forwarderWall.map((ms) => round(ms, 1)), blueprintSamplesMs: blueprintWall.map((ms) => round(ms, 1)) },
      },
      {
        id: 'logs.cpu_vs_floor',
        value: round(cpuRatio, 3),
        unit: 'x',
        better: 'lower',
        baseline: 'CPU of gunzip + JSON.parse of payload and audit messages + NDJSON serialization only',
        detail: { cpuMs: round(median(forwarderCpu), 1), floorCpuMs: round(median(floorCpu), 1), gzipCpuMs: round(median(gzipCpu), 1), gzipVsFloor: round(median(gzipCpu) / median(floorCpu), 2), rounds: ROUNDS, ...sizes, samplesMs: forwarderCpu.map((ms) => round(ms, 1)), floorSamplesMs: floorCpu.map((ms) => round(ms, 1)) },
      },
      {
        id: 'logs.peak_rss_mb',
        value: round(peakRssMb, 1),
        unit: 'MB',
        better: 'lower',
        baseline: `the ${PEAK_RSS_LIMIT_MB} MB the issue allows (a fresh process forwarding every payload once, tsx loader included)`,
        detail: { limitMb: PEAK_RSS_LIMIT_MB, loadedMb: round(loadedMb, 1), ...sizes },
      },
    ];
    const failures = [];
    if (peakRssMb > PEAK_RSS_LIMIT_MB) failures.push({ subject: 'logs.peak_rss_mb', message: `${round(peakRssMb, 1)} MB is over ${PEAK_RSS_LIMIT_MB} MB` });
    return { figures, failures };
  } finally {
    for (const child of children) if (child.connected) child.disconnect();
    await rm(directory, { recursive: true, force: true });
  }
}

/** The next message a child sends; rejects if it exits first. */
function nextMessage(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a bench subject exited with code ${code}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message);
    });
  });
}

async function measurePeakRss(payloadFile: string, sinkUrl: string): Promise<{ peakMb: number; loadedMb: number }> {
  const child = forkBenchModule('./rss-child.ts', [payloadFile, sinkUrl]);
  const line = await firstLine(child);
  const measured = JSON.parse(line) as { maxRssKb: number; loadedRssKb: number };
  return { peakMb: measured.maxRssKb / 1024, loadedMb: measured.loadedRssKb / 1024 };
}

export const logsGroup: BenchGroup = {
  name: 'logs',
  description: 'log forwarder: throughput vs the AWS OpenSearch blueprint, CPU vs the parsing floor, peak memory',
  run: runLogs,
};
