/**
 * `npm run bench`: times the kit's jobs against the default toolchain and against the floor the
 * tools impose, prints medians and ratios, and writes bench/results/latest.json.
 * Every pair in a ratio is timed alternately in the same run, so machine noise hits both alike.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../common/dist';
import { alternate, stats, timeCommand, type Stats, type TimedCommand } from './timing';

// CDK8S_CHECK_UPGRADE only where the cdk8s CLI runs: the CDK CLI reads every CDK* variable as an option and warns.
const ENV = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SYNTH_ROUNDS = Number(process.env.BENCH_SYNTH_ROUNDS ?? 3);
const scratch = mkdtempSync(join(tmpdir(), 'iac-lab-bench-'));
const run = (c: TimedCommand) => timeCommand(c.command, { cwd: REPO_ROOT, env: { ...ENV, ...c.env } });

interface Ratio {
  readonly name: string;
  readonly value: number;
  readonly target: string;
  readonly pass: boolean;
}

const results = new Map<string, { label: string; stats: Stats }>();
const ratios: Ratio[] = [];

function record(commands: readonly TimedCommand[], measured: Map<string, Stats>): void {
  for (const c of commands) results.set(c.id, { label: c.label, stats: measured.get(c.id)! });
}

function ratio(name: string, numerator: number, denominator: number, max: number): void {
  const value = numerator / denominator;
  ratios.push({ name, value, target: `<= ${max}`, pass: value <= max });
}

function section(title: string): void {
  process.stderr.write(`${title}...\n`);
}

/** The CDK app's own work in one process: load the libraries, build the stacks, synthesize. */
function inProcessSynthMs(): number {
  const out = execFileSync(process.execPath, ['--require', './common/register.js', 'bench/app-synth.ts', join(scratch, 'app-synth')], { cwd: REPO_ROOT, env: ENV, encoding: 'utf8' });
  return JSON.parse(out).ms;
}

section('synth: cdk synth of the Auto-Pipe app, the cdk init app command, and the floor');
{
  // cdk init's app command runs tsx, which the kit itself does not need: fetch the version cdk
  // init's template asks for (aws-cdk 2.1148.1: tsx ^4.23.0) into the scratch folder.
  const tools = join(scratch, 'tools');
  execFileSync('npm', ['install', '--prefix', tools, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', 'tsx@4.23.15'], { env: ENV, stdio: 'ignore' });
  const commands: TimedCommand[] = [
    { id: 'synth.kit', label: 'npx cdk synth (kit: node --require ./common/register.js)', command: 'npx cdk synth -q' },
    {
      id: 'synth.cdkInit',
      label: 'npx cdk synth, cdk init app command (tsc && tsx)',
      // `npx tsx` in a cdk init project resolves its local tsx; calling that bin directly spares
      // npx's lookup, which only makes this baseline faster.
      command: `npx cdk synth -q -o ${join(scratch, 'init.out')} --app "npx tsc -p bench/tsconfig.cdk-init.json && ${join(tools, 'node_modules/.bin/tsx')} aws/app.ts"`,
    },
    { id: 'synth.replay', label: 'npx cdk synth replaying cdk.out (CLI floor)', command: `npx cdk synth -q --app ${join(scratch, 'replay.out')}`, setup: `npx cdk synth -q -o ${join(scratch, 'replay.out')}` },
  ];
  for (const c of commands) if (c.setup) timeCommand(c.setup, { cwd: REPO_ROOT, env: ENV });
  const measured = alternate([...commands, { id: 'synth.inProcess', label: '', command: '' }], SYNTH_ROUNDS, 1, (c) =>
    c.id === 'synth.inProcess' ? inProcessSynthMs() : run(c),
  );
  record(commands, measured);
  results.set('synth.inProcess', { label: 'the app in-process: load, build, synth (app floor)', stats: measured.get('synth.inProcess')! });
  const floor = measured.get('synth.replay')!.median + measured.get('synth.inProcess')!.median;
  results.set('synth.floor', { label: 'floor: CLI replay + app in-process', stats: stats([floor]) });
  ratio('synth: kit / cdk init app command', measured.get('synth.kit')!.median, measured.get('synth.cdkInit')!.median, 0.6);
  ratio('synth: kit / floor', measured.get('synth.kit')!.median, floor, 1.3);
}

section('plan: each GCP lab offline against loading @pulumi/pulumi');
{
  const floor: TimedCommand = { id: 'plan.floor', label: "node -e \"require('@pulumi/pulumi')\" (floor)", command: `node -e "require('@pulumi/pulumi')"` };
  const labs = ['gke', 'cloudsql', 'platform'].map(
    (lab): TimedCommand => ({ id: `plan.${lab}`, label: `node -r ./common/register.js gcp/plan.ts ${lab} (npm run plan -- ${lab})`, command: `node --require ./common/register.js gcp/plan.ts ${lab}` }),
  );
  const npmRun: TimedCommand = { id: 'plan.npm', label: 'npm run plan -- gke (with npm itself)', command: 'npm run -s plan -- gke' };
  const measured = alternate([floor, ...labs, npmRun], ROUNDS, 1, run);
  record([floor, ...labs, npmRun], measured);
  for (const lab of labs) ratio(`${lab.id.replace('plan.', 'plan: ')} / floor`, measured.get(lab.id)!.median, measured.get('plan.floor')!.median, 1.5);
}

section('k8s: npm run k8s:synth against loading cdk8s-plus-28 and synthesizing an empty chart');
{
  // The floor through the same path a learner takes, `npm run <script>`: npm's own start is part of it.
  const floorDir = join(scratch, 'k8s-floor');
  mkdirSync(floorDir);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(floorDir, 'node_modules'));
  const floorScript = `require('cdk8s-plus-28'); const { App, Chart } = require('cdk8s'); const app = new App({ outdir: 'out' }); new Chart(app, 'empty'); app.synth();`;
  writeFileSync(join(floorDir, 'floor.js'), floorScript);
  writeFileSync(join(floorDir, 'package.json'), JSON.stringify({ name: 'k8s-floor', private: true, scripts: { floor: 'node floor.js' } }));
  const commands: TimedCommand[] = [
    { id: 'k8s.floor', label: 'npm run of: load cdk8s-plus-28, synth an empty chart (floor)', command: `cd ${floorDir} && npm run -s floor` },
    { id: 'k8s.kit', label: 'npm run k8s:synth (both charts, both profiles)', command: 'npm run -s k8s:synth' },
    { id: 'k8s.floorNode', label: 'node floor.js alone (no npm)', command: `cd ${floorDir} && node floor.js` },
    { id: 'k8s.kitNode', label: 'node -r ./common/register.js k8s/app.ts (no npm)', command: 'node --require ./common/register.js k8s/app.ts' },
    { id: 'k8s.cli', label: 'npx cdk8s synth', command: 'npx cdk8s synth', env: { CDK8S_CHECK_UPGRADE: 'false' } },
  ];
  const measured = alternate(commands, ROUNDS, 1, run);
  record(commands, measured);
  ratio('k8s: npm run k8s:synth / floor', measured.get('k8s.kit')!.median, measured.get('k8s.floor')!.median, 1.5);
}

section('tests: npm test, and jest per file');
const jestJson = join(scratch, 'jest.json');
{
  const test: TimedCommand = { id: 'test.npm', label: 'npm test (tsc, eslint, jest)', command: `npm test --silent -- --json --outputFile=${jestJson}` };
  // One warm-up run first, as for every other job: the target is for a warm cache (the kept results of
  // test/result-cache.ts, keyed among others by the CDK_* variables this benchmark sets).
  const measured = alternate([test], Number(process.env.BENCH_TEST_ROUNDS ?? 2), 1, run);
  record([test], measured);
  ratios.push({ name: 'tests: npm test seconds', value: measured.get('test.npm')!.median / 1000, target: '< 60', pass: measured.get('test.npm')!.median < 60_000 });
}
const perFile = (JSON.parse(readFileSync(jestJson, 'utf8')).testResults as { name: string; startTime: number; endTime: number }[])
  .map((r) => ({ file: r.name.replace(`${REPO_ROOT}/`, ''), seconds: (r.endTime - r.startTime) / 1000 }))
  .sort((a, b) => b.seconds - a.seconds);
ratios.push({ name: `tests: slowest file seconds (${perFile[0].file})`, value: perFile[0].seconds, target: '< 10', pass: perFile[0].seconds < 10 });

section('install: npm ci in a fresh clone, and the size of node_modules');
{
  const clone = join(scratch, 'clone');
  execFileSync('git', ['clone', '-q', REPO_ROOT, clone]);
  const ms = timeCommand('npm ci --no-audit --no-fund', { cwd: clone, env: ENV });
  results.set('install.npmCi', { label: 'npm ci (fresh clone, npm cache as it is)', stats: stats([ms]) });
  const bytes = Number(spawnSync('du', ['-sb', join(clone, 'node_modules')], { encoding: 'utf8' }).stdout.split('\t')[0]);
  ratios.push({ name: 'install: node_modules MB', value: bytes / 1e6, target: '< 500', pass: bytes / 1e6 < 500 });
}

const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
const report = {
  date: new Date().toISOString().slice(0, 10),
  machine,
  rounds: { default: ROUNDS, synth: SYNTH_ROUNDS },
  jobs: Object.fromEntries([...results].map(([id, r]) => [id, { label: r.label, medianMs: Math.round(r.stats.median), minMs: Math.round(r.stats.min), maxMs: Math.round(r.stats.max), samplesMs: r.stats.samples.map(Math.round) }])),
  ratios: ratios.map((r) => ({ ...r, value: Math.round(r.value * 100) / 100 })),
  jestFiles: perFile,
};
writeFileSync(join(REPO_ROOT, 'bench/results/latest.json'), `${JSON.stringify(report, null, 2)}\n`);
rmSync(scratch, { recursive: true, force: true });

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const width = Math.max(...[...results.values()].map((r) => r.label.length));
const lines = [
  `Machine: ${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB, Node ${machine.node}`,
  '',
  `${'job'.padEnd(width)}  ${'median'.padStart(8)}  min-max`,
  ...[...results.values()].map((r) => `${r.label.padEnd(width)}  ${seconds(r.stats.median).padStart(8)}  ${seconds(r.stats.min)}-${seconds(r.stats.max)}`),
  '',
  'ratio / figure                                          value   target  met',
  ...report.ratios.map((r) => `${r.name.padEnd(54)}  ${String(r.value).padStart(6)}  ${r.target.padStart(7)}  ${r.pass ? 'yes' : 'NO'}`),
  '',
  `slowest test files: ${perFile.slice(0, 3).map((f) => `${f.file} ${f.seconds.toFixed(1)} s`).join(', ')}`,
  'Written: bench/results/latest.json',
];
process.stdout.write(`${lines.join('\n')}\n`);
