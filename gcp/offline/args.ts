/** Command-line arguments of `npm run plan`. */
import { ConfigError, ConfigReader } from '../../common/config';
import { LABS, PROFILES, type Lab, type Profile } from '../config';

export const PLAN_USAGE = 'Usage: npm run plan -- <gke|cloudsql|platform> [--profile dev|prod]';

export interface PlanArgs {
  readonly lab: Lab;
  readonly profile: Profile;
}

/** Parses `<lab> [--profile dev|prod]`; anything else is a ConfigError that shows the right command. */
export function parsePlanArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): PlanArgs {
  const positional: string[] = [];
  let profileArg: string | undefined;
  // The same option twice with different values is a mistake to name, not one to pick a winner for.
  const setProfile = (value: string) => {
    if (profileArg !== undefined && profileArg !== value) {
      new ConfigReader((_key, example) => `npm run plan -- gke --profile ${example}`).fail('profile', `${profileArg} and ${value}`, 'one value: dev or prod', value);
    }
    profileArg = value;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--profile') {
      setProfile(argv[i + 1] ?? '');
      i += 1;
    } else if (arg.startsWith('--profile=')) {
      setProfile(arg.slice('--profile='.length));
    } else if (arg.startsWith('-')) {
      new ConfigReader(() => 'npm run plan -- gke --profile dev').fail('option', arg, 'only --profile dev|prod', 'dev');
    } else {
      positional.push(arg);
    }
  }
  // The Pulumi CLI passes config to a program in PULUMI_CONFIG; the offline plan reads the stack file
  // instead, so a value set there would be ignored without a word. Its value is not echoed: it may hold secrets.
  if (env.PULUMI_CONFIG !== undefined && env.PULUMI_CONFIG !== '') {
    throw new ConfigError(
      'PULUMI_CONFIG',
      'set in the environment',
      'unset: npm run plan takes its config from Pulumi.<lab>-<profile>.yaml, as pulumi preview does from the stack',
      'unset PULUMI_CONFIG, and put the values in the stack file (pulumi config set <key> <value> --stack <lab>-<profile>)',
    );
  }
  const labReader = new ConfigReader((_key, example) => `npm run plan -- ${example}`);
  if (positional.length > 1) labReader.fail('lab', positional.join(' '), `exactly one lab: ${LABS.join(', ')}`, LABS[0]);
  const lab = labReader.oneOf('lab', positional[0], LABS);
  const profileReader = new ConfigReader((_key, example) => `npm run plan -- ${lab} --profile ${example}`);
  const profile = profileReader.oneOf('profile', profileArg ?? 'dev', PROFILES);
  return { lab, profile };
}
