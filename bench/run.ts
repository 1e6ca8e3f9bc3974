// `npm run bench`: runs every benchmark suite against Planvas and its peers on this machine,
// prints a table, writes bench/results/latest.json and BENCHMARKS.md. Not part of `npm test`;
// it never fails on a figure (only on a harness error).
//
//   npm run bench                       # the full run (about ten minutes on 2 cores, three of them canvas)
//   npm run bench -- --quick            # one short repetition of each, to try the harness
//   npm run bench -- --raw-relay        # also measure a bare ws relay (the ceiling)
//   npm run bench -- --only=fanout,scheduler
//   npm run bench -- --report           # rewrite BENCHMARKS.md from bench/results/latest.json (after editing bench/NOTES.md)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo, markdownTable, textTable } from './report.ts';
import { SUITES } from './suites/index.ts';
import { buildClientIfNeeded } from '../scripts/build-if-needed.mjs';
import type { BenchOptions, SuiteResult } from './types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');

// Pin the harness to core 0 and the servers to core 1, so the load generator and the systems
// under test do not steal each other's CPU (re-executes itself under taskset once), with
// --expose-gc so a load run can collect its set-up garbage before it starts measuring, and a
// larger young generation so the harness's own collections (a few ms each) come less often
// inside a measured window.
const cores = os.cpus().length;
const canPin = cores >= 2 && spawnSync('taskset', ['--version']).status === 0;
if (canPin && !process.env.PLANVAS_BENCH_PINNED) {
  const child = spawnSync('taskset', ['-c', '0', process.execPath, '--expose-gc', '--max-semi-space-size=64', ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, PLANVAS_BENCH_PINNED: '1' },
  });
  process.exit(child.status ?? 1);
}

const runStarted = Date.now();
const options: BenchOptions = {
  rawRelay: flag('raw-relay'),
  quick: flag('quick'),
  repetitions: flag('quick') ? 1 : 3,
  serverCpus: canPin ? String(cores - 1) : null,
  harnessCpus: canPin ? '0' : null,
  // Seconds since the run started, so a log shows where the run's time goes.
  log: (message) => console.log(`  [${((Date.now() - runStarted) / 1000).toFixed(1).padStart(5)} s] ${message}`),
};

if (flag('report')) {
  const saved = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench/results/latest.json'), 'utf8'), lostFromJson) as SavedRun;
  writeMarkdown(saved);
  console.log('rewrote BENCHMARKS.md from bench/results/latest.json');
  process.exit(0);
}

// The canvas suite serves the built client.
await buildClientIfNeeded({ log: (msg: string) => console.log(`  ${msg}`) });


const started = Date.now();
const results: SuiteResult[] = [];
for (const suite of SUITES) {
  if (only && !only.includes(suite.name)) continue;
  console.log(`\n▶ ${suite.name}`);
  const t0 = Date.now();
  results.push(await suite.run(options));
  console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const seconds = (Date.now() - started) / 1000;

const machine = machineInfo();
const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
console.log(`\n${textTable(results, options.rawRelay)}\n\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; ${seconds.toFixed(0)} s`);

fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
const json = { date: new Date().toISOString(), command, seconds, machine, options: { ...options, log: undefined }, results };
// A partial run (--only, --quick) leaves the published table and its JSON alone.
if (!only && !options.quick) {
  fs.writeFileSync(path.join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(json, lostToJson, 2)}\n`);
  writeMarkdown(json);
  console.log('wrote BENCHMARKS.md and bench/results/latest.json');
} else {
  fs.writeFileSync(path.join(ROOT, 'bench/results/partial.json'), `${JSON.stringify(json, lostToJson, 2)}\n`);
  console.log('wrote bench/results/partial.json (partial run: BENCHMARKS.md and latest.json left as they were)');
}

/** A lost run (p99 with undelivered edits) is Infinity, which JSON has no number for: kept as a string. */
function lostToJson(_key: string, value: unknown): unknown {
  return value === Infinity ? 'Infinity' : value;
}
function lostFromJson(_key: string, value: unknown): unknown {
  return value === 'Infinity' ? Infinity : value;
}

interface SavedRun {
  date: string;
  command: string;
  seconds: number;
  machine: ReturnType<typeof machineInfo>;
  options: { rawRelay: boolean; repetitions: number; serverCpus: string | null; harnessCpus: string | null };
  results: SuiteResult[];
}

/** BENCHMARKS.md: how it was produced, the table, the suites' notes, then bench/NOTES.md (the analysis). */
function writeMarkdown(run: SavedRun): void {
  const notes = fs.readFileSync(path.join(ROOT, 'bench/NOTES.md'), 'utf8');
  const suiteNotes = run.results.flatMap((r) => (r.notes ?? []).map((n) => `- ${r.suite}: ${n}`));
  const { machine, options: o } = run;
  const md = [
    '# Benchmarks',
    '',
    `Produced by \`${run.command}\` on ${run.date.slice(0, 10)} in ${run.seconds.toFixed(0)} s. Every figure is the median of ${o.repetitions} runs; latency is measured from send to each receiver in one process with one clock.`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}, Node ${machine.node}. ${o.serverCpus !== null ? `Servers pinned to core ${o.serverCpus}, the load generator to core ${o.harnessCpus} (taskset).` : 'No CPU pinning (one core, or no taskset).'}`,
    '',
    markdownTable(run.results, o.rawRelay),
    '',
    ...(suiteNotes.length > 0 ? ['How the suites ran:', '', ...suiteNotes, ''] : []),
    notes.trim(),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), md);
}
