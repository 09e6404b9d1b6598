import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, runEntry } from '../../common/config';
import { DIST_DIR, REPO_ROOT } from '../../common/dist';
import { parsePlanArgs } from '../../gcp/offline/args';
import { planLab } from '../../gcp/offline/plan';
import { UNKNOWN, type OfflinePlan } from '../../gcp/offline/plan-model';
import { displayType, renderPlan } from '../../gcp/offline/render';

// `npm run plan`: its arguments, its rendering and the command as a process (planLab itself: plan-cli.test.ts).
const baseline = new Map<string, OfflinePlan>();
beforeAll(async () => {
  for (const [lab, profile] of [['gke', 'dev'], ['cloudsql', 'prod']] as const) baseline.set(`${lab}-${profile}`, await planLab(lab, profile));
});

describe('npm run plan', () => {
  test('parses <lab> [--profile dev|prod]', () => {
    expect(parsePlanArgs(['gke'])).toEqual({ lab: 'gke', profile: 'dev' });
    expect(parsePlanArgs(['platform', '--profile', 'prod'])).toEqual({ lab: 'platform', profile: 'prod' });
    expect(parsePlanArgs(['--profile=prod', 'cloudsql'])).toEqual({ lab: 'cloudsql', profile: 'prod' });
  });

  test.each([
    [[], 'Invalid lab: received nothing (the key is not set); expected one of gke, cloudsql, platform.\n  Fix: npm run plan -- gke'],
    [['aks'], 'Invalid lab: received "aks"; expected one of gke, cloudsql, platform.\n  Fix: npm run plan -- gke'],
    [['gke', 'cloudsql'], 'Invalid lab: received "gke cloudsql"; expected exactly one lab: gke, cloudsql, platform.\n  Fix: npm run plan -- gke'],
    [['gke', '--profile', 'qa'], 'Invalid profile: received "qa"; expected one of dev, prod.\n  Fix: npm run plan -- gke --profile dev'],
    [['gke', '--profile'], 'Invalid profile: received ""; expected one of dev, prod.\n  Fix: npm run plan -- gke --profile dev'],
    [['gke', '--env', 'prod'], 'Invalid option: received "--env"; expected only --profile dev|prod.\n  Fix: npm run plan -- gke --profile dev'],
    [['gke', '--profile', 'dev', '--profile=prod'], 'Invalid profile: received "dev and prod"; expected one value: dev or prod.\n  Fix: npm run plan -- gke --profile prod'],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parsePlanArgs(argv, {})).toThrow(ConfigError);
    expect(() => parsePlanArgs(argv, {})).toThrow(message);
  });

  test('PULUMI_CONFIG in the environment, which the offline plan would ignore, is an error that does not echo it', () => {
    const env = { PULUMI_CONFIG: '{"iac-lab-kit:nodeMaxCount":"7","gcp:project":"secret-project"}' };
    expect(() => parsePlanArgs(['gke'], env)).toThrow(
      'Invalid PULUMI_CONFIG: received "set in the environment"; expected unset: npm run plan takes its config from Pulumi.<lab>-<profile>.yaml, as pulumi preview does from the stack.\n' +
        '  Fix: unset PULUMI_CONFIG, and put the values in the stack file (pulumi config set <key> <value> --stack <lab>-<profile>)',
    );
    expect(() => parsePlanArgs(['gke'], env)).not.toThrow(/secret-project/);
  });

  test('bad arguments and bad config exit 2 with the message only', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const main of [() => parsePlanArgs(['aks']), () => planLab('gke', 'dev', { authorizedNetworks: '["0.0.0.0/0"]' })]) {
        process.exitCode = undefined;
        await runEntry(main);
        expect(process.exitCode).toBe(2);
      }
      const printed = stderr.mock.calls.map((call) => String(call[0])).join('');
      expect(printed).toContain('Invalid lab: received "aks"');
      expect(printed).toContain('Invalid authorizedNetworks[0]: received "0.0.0.0/0"');
      expect(printed).not.toMatch(/\n\s+at /);
    } finally {
      stderr.mockRestore();
      process.exitCode = undefined;
    }
  });

  test('shows Pulumi display types', () => {
    expect(displayType('gcp:container/cluster:Cluster')).toBe('gcp:container:Cluster');
    expect(displayType('gcp:projects/iAMMember:IAMMember')).toBe('gcp:projects:IAMMember');
    expect(displayType('random:index/randomPassword:RandomPassword')).toBe('random:index:RandomPassword');
    expect(displayType('iac-lab-kit:gcp:GkeLab')).toBe('iac-lab-kit:gcp:GkeLab');
    expect(displayType('pulumi:pulumi:Stack')).toBe('pulumi:pulumi:Stack');
  });

  test('renders the plan like pulumi preview: a tree of + rows, the outputs and the count', () => {
    const text = renderPlan(baseline.get('gke-dev') as OfflinePlan);
    expect(text).toMatchSnapshot();
    expect(text).toContain(' +   └─ iac-lab-kit:gcp:GkeLab');
    expect(text).toMatch(/ \+ {9}└─ gcp:container:NodePool\s+gke-cluster-node-pool\s+create/);
    expect(text).toMatch(/kubeconfig\s*: \[secret\]/);
    expect(text.trimEnd().endsWith('Resources:\n    + 22 to create')).toBe(true);
  });

  test('the command prints the plan and writes dist/plan/<lab>-<profile>.json', () => {
    const run = spawnSync(process.execPath, ['--require', './common/register.js', 'gcp/plan.ts', 'cloudsql', '--profile', 'prod'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Previewing update (cloudsql-prod)');
    expect(run.stdout).toContain('    + 20 to create');
    expect(run.stdout).toContain('Pulumi.cloudsql-prod.yaml does not set gcp:project: planned with the placeholder "offline-lab-project".');
    expect(run.stdout).toMatch(/Plan written:\n {2}\S*\/plan\/cloudsql-prod\.json {2}\d+\.\d KiB\n$/);
    // The command previews as `pulumi preview` does: the same resources as the in-process plan, with unknowns.
    const written = JSON.parse(readFileSync(join(DIST_DIR, 'plan', 'cloudsql-prod.json'), 'utf8')) as OfflinePlan;
    expect(written.resources.map((r) => r.name)).toEqual(baseline.get('cloudsql-prod')!.resources.map((r) => r.name));
    expect(Object.values(written.outputs)).toContain(UNKNOWN);
  });
});
