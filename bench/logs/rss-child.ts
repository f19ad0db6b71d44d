// Runs the forwarder once over payloads read from a file, in a fresh process, and reports the process's
// peak resident set size: what a Lambda function's memory setting must cover.
import { readFileSync } from 'node:fs';
import { benchForwarder } from './forwarder-run.ts';
import type { BenchPayloadFile } from './subject-process.ts';

const [payloadFile, sinkUrl] = process.argv.slice(2);
const { events } = JSON.parse(readFileSync(payloadFile ?? '', 'utf8')) as BenchPayloadFile;
const forward = benchForwarder(sinkUrl ?? '', { gzip: true });
// What the process holds before any payload: Node, the tsx loader, the modules.
const loadedRssKb = Math.round(process.memoryUsage.rss() / 1024);
for (const event of events) await forward(event);
process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, loadedRssKb })}\n`);
