/** Command-line arguments of `npm run plan`. */
import { ConfigReader } from '../../common/config';
import { LABS, PROFILES, type Lab, type Profile } from '../config';

export const PLAN_USAGE = 'Usage: npm run plan -- <gke|cloudsql|platform> [--profile dev|prod]';

export interface PlanArgs {
  readonly lab: Lab;
  readonly profile: Profile;
}

/** Parses `<lab> [--profile dev|prod]`; anything else is a ConfigError that shows the right command. */
export function parsePlanArgs(argv: readonly string[]): PlanArgs {
  const positional: string[] = [];
  let profileArg: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--profile') {
      profileArg = argv[i + 1] ?? '';
      i += 1;
    } else if (arg.startsWith('--profile=')) {
      profileArg = arg.slice('--profile='.length);
    } else if (arg.startsWith('-')) {
      new ConfigReader(() => 'npm run plan -- gke --profile dev').fail('option', arg, 'only --profile dev|prod', 'dev');
    } else {
      positional.push(arg);
    }
  }
  const labReader = new ConfigReader((_key, example) => `npm run plan -- ${example}`);
  if (positional.length > 1) labReader.fail('lab', positional.join(' '), `exactly one lab: ${LABS.join(', ')}`, LABS[0]);
  const lab = labReader.oneOf('lab', positional[0], LABS);
  const profileReader = new ConfigReader((_key, example) => `npm run plan -- ${lab} --profile ${example}`);
  const profile = profileReader.oneOf('profile', profileArg ?? 'dev', PROFILES);
  return { lab, profile };
}
