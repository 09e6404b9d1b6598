/**
 * The GCP program started exactly as `pulumi preview` starts it: Pulumi.yaml's launch (program
 * directory, nodeargs, entry point) through @pulumi/pulumi's own cmd/run, against the kit's
 * loopback monitor with --dry-run. If Pulumi.yaml's launch breaks, these tests fail.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../common/config';
import { REPO_ROOT } from '../../common/dist';
import { planLab } from '../../gcp/offline/plan';
import { UNKNOWN, type OfflinePlan } from '../../gcp/offline/plan-model';
import { readStackConfig } from '../../gcp/offline/stack-config';
import { languageHostLaunch, splitArgs } from '../../gcp/preview/launch';
import { previewLab } from '../../gcp/preview/preview-lab';
import { PreviewFailed, previewProgram } from '../../gcp/preview/run-program';

const launchOf = (projectRoot = REPO_ROOT) =>
  languageHostLaunch({ projectRoot, stack: 'gke-dev', config: { 'gcp:region': 'europe-west1', 'iac-lab-kit:lab': 'gke' }, monitor: 'M', engine: 'E', dryRun: true });

describe('the launch mirrors the Node.js language host', () => {
  const launch = launchOf();

  test('node starts in main\'s folder with Pulumi.yaml\'s nodeargs, and they resolve from there', () => {
    expect(launch.cwd).toBe(join(REPO_ROOT, 'gcp'));
    const nodeargs = splitArgs(String((readFileSync(join(REPO_ROOT, 'Pulumi.yaml'), 'utf8').match(/nodeargs: (.+)/) ?? [])[1]));
    expect(launch.args.slice(0, nodeargs.length)).toEqual(nodeargs);
    expect(nodeargs).toEqual(['--require', '../common/register.js']);
    expect(require.resolve(join(launch.cwd, nodeargs[1]))).toBe(join(REPO_ROOT, 'common/register.js'));
  });

  test('cmd/run gets the flags constructArguments builds, the entry point last, config the way constructConfig encodes it', () => {
    expect(launch.args.slice(2)).toEqual([
      // Node resolves the module to its real path: a copy of the kit may share node_modules through a link.
      join(realpathSync(join(REPO_ROOT, 'node_modules/@pulumi/pulumi')), 'cmd/run'),
      '--monitor', 'M', '--engine', 'E', '--project', 'iac-lab-kit', '--stack', 'gke-dev',
      '--pwd', join(REPO_ROOT, 'gcp'), '--dry-run', '--query-mode', 'false', '--parallel', '16',
      'index.ts',
    ]);
    expect(JSON.parse(launch.env.PULUMI_CONFIG)).toEqual({ 'gcp:config:region': 'europe-west1', 'iac-lab-kit:config:lab': 'gke' });
    expect(launch.env.PULUMI_CONFIG_SECRET_KEYS).toBe('[]');
  });

  test('splits nodeargs as a shell would', () => {
    expect(splitArgs(`--require ./a.js --title "two words" 'x y'`)).toEqual(['--require', './a.js', '--title', 'two words', 'x y']);
  });
});

describe('the offline preview', () => {
  let gke: OfflinePlan;
  let platform: OfflinePlan;
  let inProcess: OfflinePlan;
  beforeAll(async () => {
    [gke, platform, inProcess] = await Promise.all([
      previewLab('gke', 'dev').then((p) => p.plan),
      previewLab('platform', 'prod').then((p) => p.plan),
      planLab('gke', 'dev'),
    ]);
  }, 30_000);

  const shape = (plan: OfflinePlan) => plan.resources.map((r) => `${r.type} ${r.name} <- ${r.parent ?? ''}`);

  test('registers the same resources, parents and dependencies as the in-process run', () => {
    expect(shape(gke)).toEqual(shape(inProcess));
    expect(gke.resources.map((r) => r.dependencies)).toEqual(inProcess.resources.map((r) => r.dependencies));
    expect(platform.resources.length).toBeGreaterThan(gke.resources.length);
  });

  test('what only Google computes is unknown, as pulumi preview shows it; what the program sets is known', () => {
    expect(gke.outputs.clusterEndpoint).toBe(UNKNOWN);
    expect(gke.outputs.clusterName).toBe('gke-dev');
    const cluster = gke.resources.find((r) => r.type === 'gcp:container/cluster:Cluster')!;
    expect(cluster.inputs.network).toBe(UNKNOWN);
    expect(cluster.inputs.datapathProvider).toBe('ADVANCED_DATAPATH');
    // The in-process mocks invent the same input a concrete value: exactly what a preview must not show.
    expect(inProcess.resources.find((r) => r.name === cluster.name)!.inputs.network).not.toBe(UNKNOWN);
  });

  test('secrets never appear: the platform\'s database password is masked', () => {
    expect(JSON.stringify(platform)).not.toMatch(/"password":"(?!\[secret\]|\[unknown)/);
  });

  test('bad config is one line before any program starts', async () => {
    await expect(previewLab('gke', 'dev', { authorizedNetworks: '["0.0.0.0/0"]' })).rejects.toThrow(ConfigError);
  });
});

test('a Pulumi.yaml whose nodeargs resolve from the project root, not main\'s folder, fails to start, as under the CLI', async () => {
  const project = mkdtempSync(join(tmpdir(), 'pulumi-launch-'));
  try {
    for (const folder of ['gcp', 'common', 'node_modules']) symlinkSync(join(REPO_ROOT, folder), join(project, folder));
    writeFileSync(join(project, 'Pulumi.yaml'), readFileSync(join(REPO_ROOT, 'Pulumi.yaml'), 'utf8').replace('../common/register.js', './common/register.js'));
    const { stack, config } = readStackConfig('gke', 'dev');
    const failure = previewProgram({ stack, config, projectRoot: project });
    await expect(failure).rejects.toThrow(PreviewFailed);
    await expect(failure).rejects.toThrow(/Cannot find module '\.\/common\/register\.js'/);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}, 20_000);
