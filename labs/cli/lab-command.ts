/**
 * The `lab` command: reads the command line, checks it, and runs one of the commands in commands/
 * over the labs of labs/index.ts.
 * Exit codes: 0 success, 1 a check failed, 2 a usage error (unknown lab, command or option).
 */
import { parseArgs } from 'node:util';
import { ConfigError, ConfigReader, UserError } from '../../common/config';
import { PROFILES } from '../../common/profiles';
import { findLab, LAB_IDS, LABS } from '../index';
import { check, exercise } from './commands/check';
import { cost } from './commands/cost';
import { diagram } from './commands/diagram';
import { docs } from './commands/docs';
import { list } from './commands/list';
import { show } from './commands/show';
import { synth } from './commands/synth';
import type { Io } from './io';
import type { Lab } from './lab';

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

export type { Io } from './io';

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
    // Something the user can fix outside the command line (an unwritable dist/): its message is the whole story.
    if (err instanceof UserError) {
      io.err(`${err.message}\n`);
      return err.exitCode;
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
        const number = reader.oneOf('exercise', values.exercise, lab.exercises.map((e) => String(e.number)));
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

/** What each option with a value takes, and a valid example, for the message when its value is missing or repeated. */
const VALUES: Readonly<Record<string, { expected: string; example: string }>> = {
  profile: { expected: 'one of dev, prod', example: 'dev' },
  hours: { expected: 'an integer from 1 to 8760', example: '1' },
  exercise: { expected: 'an exercise number', example: '1' },
};

function parse(args: readonly string[], command: Command) {
  // The fix is the same line without the option (and whatever value it took): keep the lab id.
  const lab = () => parseArgs({ args: [...args], allowPositionals: true, strict: false, options: OPTIONS }).positionals.find((p) => findLab(p));
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: OPTIONS, tokens: true });
  } catch (err) {
    const message = (err as Error).message;
    const option = /'([^' ]+)/.exec(message)?.[1] ?? args.join(' ');
    const key = option.replace(/^--/, '');
    // `--hours -1`: node:util takes -1 for an option, not for the value.
    if (message.includes('argument is ambiguous') && VALUES[key] !== undefined) {
      return readerFor(command, lab()).fail(key, args[args.indexOf(option) + 1], VALUES[key].expected, VALUES[key].example);
    }
    return readerFor(command, lab()).fail('option', option, 'one of --all, --json, --check, --policies, --profile <dev|prod>, --hours <N>, --exercise <N>', '--json');
  }
  // node:util keeps the last of a repeated option silently: two different values are a mistake to name.
  const given = new Map<string, Set<string>>();
  for (const token of parsed.tokens) {
    if (token.kind === 'option' && token.value !== undefined) given.set(token.name, (given.get(token.name) ?? new Set()).add(token.value));
  }
  for (const [key, values] of given) {
    if (values.size > 1) readerFor(command, lab()).fail(key, [...values].join(' and '), `one value (${VALUES[key]?.expected ?? 'given once'})`, [...values].at(-1)!);
  }
  return parsed;
}
