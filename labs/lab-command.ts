/**
 * The `lab` command: list, show, synth, check, cost, diagram and docs, over the catalogue.
 * Exit codes: 0 success, 1 a check failed, 2 a usage error (unknown lab, command or option).
 */
import { parseArgs } from 'node:util';
import { ConfigError, ConfigReader } from '../common/config';
import { formatWritten, writeDist, type WrittenFile } from '../common/dist';
import { PROFILES, type Profile } from '../common/profiles';
import { findLab, LAB_IDS, LABS, type Lab } from './catalogue';
import { checkExercise, checkLabs, type Progress, type StepResult } from './check';
import { chargedItems, estimateCost, money, type CostEstimate } from './cost';
import { toMermaid, toSvg } from './diagram';
import { generatedDocs } from './docs';
import { exercisesOf } from './exercises';
import { guideBullets, guideCommands, guidePath, readGuide, updateBlocks } from './guide';
import { synthesizeLab } from './synth';

export const COMMANDS = ['list', 'show', 'synth', 'check', 'cost', 'diagram', 'docs'] as const;
type Command = (typeof COMMANDS)[number];

export const USAGE = `Usage: npm run lab -- <command> [options]     (or: npx iac-lab <command>)

Commands:
  list [--json]                               the labs, with what their dev profile costs an hour
  show <lab>                                  a lab's summary, the commands to run, where its code lives
  synth <lab>|--all [--profile dev|prod]      synthesize offline into dist/<lab>/<profile>/
  check <lab>|--all [--policies] [--json]     the lab's policy checks and tests (--policies: the checks only)
  check <lab> --exercise <N> [--json]         check your work on one of the lab's exercises
  cost <lab> [--profile dev|prod] [--hours N] [--json]
                                              what the lab costs, from its synthesized resources
  diagram <lab> [--profile dev|prod]          the architecture, as dist/diagrams/<lab>.mmd and .svg
  docs [--check]                              regenerate the guides' diagrams and cost tables

Labs: ${LAB_IDS.join(', ')}`;

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Progress redraws one line in place on a terminal, and prints plain lines otherwise. */
  readonly tty: boolean;
}

/** Checks what the learner typed; each fix is the command line they meant, e.g. `npm run lab -- cost gke --profile dev`. */
function readerFor(command?: string, lab?: string): ConfigReader {
  return new ConfigReader((key, example) => {
    if (key === 'command') return `npm run lab -- ${example}`;
    if (key === 'lab' || key === 'arguments') return `npm run lab -- ${command ?? 'show'} ${example}`;
    const typed = ['npm run lab --', command, lab].filter(Boolean).join(' ');
    return key === 'option' ? typed : `${typed} --${key} ${example}`;
  });
}

/** Runs one command line and returns its exit code. */
export async function runLab(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    io.out(`${USAGE}\n`);
    return first === undefined ? 2 : 0;
  }
  const command = readerFor().oneOf('command', first, COMMANDS) as Command;
  const { values, positionals } = parse(rest, command);
  const reader = readerFor(command, positionals[0]);
  const profile = reader.oneOf('profile', values.profile ?? 'dev', PROFILES);
  const oneLab = (): Lab => {
    const id = reader.oneOf('lab', positionals[0], LAB_IDS);
    if (positionals.length > 1) reader.fail('arguments', positionals.join(' '), 'one lab id', id);
    return findLab(id)!;
  };
  const labs = (): readonly Lab[] => (values.all && positionals.length === 0 ? LABS : [oneLab()]);
  switch (command) {
    case 'list':
      return list(values.json, io);
    case 'show':
      return show(oneLab(), io);
    case 'synth':
      return synth(labs(), values.profile === undefined ? PROFILES : [profile], io);
    case 'check': {
      if (values.exercise !== undefined) {
        const lab = oneLab();
        const number = reader.oneOf('exercise', values.exercise, exercisesOf(lab.id).map((e) => String(e.number)));
        return exercise(lab, Number(number), values.json, io);
      }
      return check(labs(), !values.policies, values.json, io);
    }
    case 'cost':
      return cost(oneLab(), profile, values.hours === undefined ? undefined : reader.integer('hours', values.hours, 1, 8760), values.json, io);
    case 'diagram':
      return diagram(oneLab(), profile, io);
    case 'docs':
      return docs(values.check, io);
  }
}

const OPTIONS = {
  all: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  policies: { type: 'boolean', default: false },
  profile: { type: 'string' },
  hours: { type: 'string' },
  exercise: { type: 'string' },
} as const;

function parse(args: readonly string[], command: Command) {
  try {
    return parseArgs({ args: [...args], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (err) {
    const option = /'([^']+)'/.exec((err as Error).message)?.[1] ?? args.join(' ');
    // The fix is the same line without the option (and whatever value it took): keep the lab id.
    const lab = parseArgs({ args: [...args], allowPositionals: true, strict: false, options: OPTIONS }).positionals.find((p) => findLab(p));
    return readerFor(command, lab).fail('option', option, 'one of --all, --json, --check, --policies, --profile <dev|prod>, --hours <N>, --exercise <N>', '--json');
  }
}

async function list(json: boolean, io: Io): Promise<number> {
  const rows = [];
  for (const lab of LABS) {
    const estimate = estimateCost(lab, await synthesizeLab(lab, 'dev', { validate: false }));
    rows.push({ id: lab.id, title: lab.title, tool: lab.tool, cloud: lab.cloud, level: lab.level, minutes: lab.minutes, devCostPerHour: estimate.totalPerHour, currency: estimate.currency });
  }
  if (json) {
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  io.out(
    `${table(
      ['lab', 'tool', 'cloud', 'level', 'time', 'dev cost/hour'],
      rows.map((r) => [r.id, r.tool, r.cloud, r.level, `${r.minutes} min`, r.devCostPerHour === 0 ? 'free' : money(r.devCostPerHour)]),
      [false, false, false, false, true, true],
    )}\n\nnpm run lab -- show <lab> for a lab's steps; costs are ${LAB_COST_BASIS}.\n`,
  );
  return 0;
}

const LAB_COST_BASIS = 'list prices from labs/prices.json (npm run lab -- cost <lab> itemizes them)';

function show(lab: Lab, io: Io): number {
  const guide = readGuide(lab.id);
  const lines = [
    guide.title,
    '',
    wrap(guide.summary),
    '',
    `${lab.tool} on ${lab.cloud} · ${lab.level} · about ${lab.minutes} minutes · uses ${lab.uses.join(', ')}`,
    '',
    'Objectives:',
    ...guideBullets(guide, 'Objectives').map((item) => `  - ${item}`),
    '',
    'Commands (from the guide):',
    ...guideCommands(guide, 'Steps').map((c) => `  $ ${c}`),
    '',
    'Teardown:',
    ...guideCommands(guide, 'Teardown').map((c) => `  $ ${c}`),
    '',
    'Exercises (check one with npm run lab -- check ' + lab.id + ' --exercise <N>):',
    ...exercisesOf(lab.id).map((e) => `  ${e.number}. ${e.title}`),
    '',
    `Code:   ${lab.code.join(', ')}`,
    `Tests:  ${lab.tests.join(', ')}`,
    `Guide:  ${guidePath(lab.id)}`,
  ];
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

async function synth(labs: readonly Lab[], profiles: readonly Profile[], io: Io): Promise<number> {
  const written: WrittenFile[] = [];
  for (const lab of labs) {
    for (const profile of lab.source.kind === 'kit' ? profiles.slice(0, 1) : profiles) {
      const output = await synthesizeLab(lab, profile, { write: true });
      written.push(...output.files);
      io.out(`${lab.id}${lab.source.kind === 'kit' ? '' : ` (${profile})`}: ${output.resources.length} resources\n`);
    }
  }
  io.out(`\nWritten:\n${formatWritten(written)}\n`);
  return 0;
}

async function check(labs: readonly Lab[], tests: boolean, json: boolean, io: Io): Promise<number> {
  const reports = await checkLabs(labs, json ? SILENT : progressTo(io), { tests });
  const pass = reports.every((r) => r.pass);
  if (json) io.out(`${JSON.stringify(reports, null, 2)}\n`);
  else io.out(`\n${reports.map((r) => `${r.pass ? 'PASS' : 'FAIL'}  ${r.lab}`).join('\n')}\n`);
  return pass ? 0 : 1;
}

async function exercise(lab: Lab, number: number, json: boolean, io: Io): Promise<number> {
  const report = await checkExercise(lab, number);
  if (json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else {
    io.out(`${lab.id}, exercise ${number}: ${report.title}\n`);
    io.out(report.pass ? 'PASS: done.\n' : `FAIL:\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  }
  return report.pass ? 0 : 1;
}

async function cost(lab: Lab, profile: Profile, hours: number | undefined, json: boolean, io: Io): Promise<number> {
  const estimate = estimateCost(lab, await synthesizeLab(lab, profile, { validate: false }));
  if (json) {
    const extra = hours === undefined ? {} : { hours, totalForHours: Math.round(estimate.totalPerHour * hours * 100) / 100 };
    io.out(`${JSON.stringify({ ...estimate, ...extra }, null, 2)}\n`);
    return 0;
  }
  io.out(`${formatCost(estimate, hours)}\n`);
  return 0;
}

/** The cost table of an estimate, as printed and as kept in the guides. */
export function formatCost(estimate: CostEstimate, hours?: number): string {
  const charged = chargedItems(estimate);
  const free = estimate.resources.filter((l) => l.basis === 'free');
  const lines = [
    `${estimate.lab} (${estimate.profile}), ${estimate.region}, ${estimate.currency} list prices of ${estimate.priceDate}`,
    '',
    table(
      ['item', 'how it is charged', 'per hour', 'per month'],
      charged.map((l) => [l.item, `${l.basis === 'usage' ? 'by use: ' : ''}${l.detail}`, money(l.perHour), money(l.perMonth)]),
      [false, false, true, true],
    ),
    '',
    `total: ${money(estimate.totalPerHour)} an hour, ${money(estimate.totalPerMonth)} a month (730 hours)`,
  ];
  if (hours !== undefined) lines.push(`for ${hours} hour${hours === 1 ? '' : 's'}: ${money(estimate.totalPerHour * hours)}`);
  lines.push(`no charge: ${free.length} resources (${summarizeTypes(free.map((l) => l.type))})`);
  return lines.join('\n');
}

async function diagram(lab: Lab, profile: Profile, io: Io): Promise<number> {
  const mermaid = toMermaid((await synthesizeLab(lab, profile, { validate: false, overrides: lab.example })).resources);
  const suffix = profile === 'dev' ? '' : `-${profile}`;
  const files = [writeDist(`diagrams/${lab.id}${suffix}.mmd`, mermaid), writeDist(`diagrams/${lab.id}${suffix}.svg`, await toSvg(mermaid))];
  io.out(`${mermaid}\nWritten:\n${formatWritten(files)}\n`);
  return 0;
}

async function docs(checkOnly: boolean, io: Io): Promise<number> {
  const stale: string[] = [];
  for (const { path, blocks, current } of await generatedDocs()) {
    if (Object.entries(blocks).every(([name, content]) => current[name] === content)) continue;
    stale.push(path);
    if (!checkOnly) updateBlocks(path, blocks);
  }
  if (checkOnly && stale.length > 0) {
    io.err(`Out of date with the code: ${stale.join(', ')}.\n  Fix: npm run lab -- docs\n`);
    return 1;
  }
  io.out(stale.length ? `Updated: ${stale.join(', ')}\n` : 'Guides and README are up to date.\n');
  return 0;
}

const SILENT: Progress = { start: () => undefined, end: () => undefined };

function progressTo(io: Io): Progress {
  let timer: NodeJS.Timeout | undefined;
  return {
    start(step) {
      if (!io.tty) {
        io.out(`... ${step}\n`);
        return;
      }
      const started = Date.now();
      const draw = () => io.out(`\r\x1b[K... ${step} (${Math.round((Date.now() - started) / 1000)} s)`);
      draw();
      timer = setInterval(draw, 1000);
    },
    end(result: StepResult) {
      if (timer) clearInterval(timer);
      timer = undefined;
      const line = `${result.pass ? 'ok  ' : 'FAIL'}  ${result.step} (${result.seconds.toFixed(1)} s)`;
      io.out(`${io.tty ? '\r\x1b[K' : ''}${line}\n${result.details.map((d) => `        ${d}`).join('\n')}\n`);
    },
  };
}

function table(headers: readonly string[], rows: readonly string[][], rightAlign: readonly boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function summarizeTypes(types: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts].map(([type, n]) => (n > 1 ? `${type} ×${n}` : type)).join(', ');
}

function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + word.length + 1 > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  return [...lines, current].join('\n');
}
