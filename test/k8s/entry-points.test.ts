/**
 * The commands a learner types, run as processes: `npx cdk8s synth` (through cdk8s.yaml),
 * `npm run k8s:synth` and `npm run k8s:check` (their node entries), including their failures.
 */
import { Yaml } from 'cdk8s';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { Manifest } from '../../k8s/checks/manifest';
import { synthCharts } from '../../k8s/synth';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO_ROOT, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const node = (entry: string, args: string[] = [], env: Record<string, string> = {}) => run(process.execPath, ['--import', 'tsx', entry, ...args], env);

const scratch = mkdtempSync(join(tmpdir(), 'k8s-entry-'));
const badYaml = join(scratch, 'bad.k8s.yaml');
let cli: Run, synth: Run, badSetting: Run, check: Run, checkBadFile: Run;

beforeAll(async () => {
  const broken = structuredClone(synthCharts()[0].manifests);
  broken.find((m) => m.kind === 'Deployment')!.spec.template.spec.containers[0].image = 'nginx';
  writeFileSync(badYaml, Yaml.stringify(...broken));
  [cli, synth, badSetting, check, checkBadFile] = await Promise.all([
    run(join(REPO_ROOT, 'node_modules/.bin/cdk8s'), ['synth', '--stdout'], { K8S_PROFILE: 'dev' }),
    node('k8s/app.ts', [], { CDK8S_OUTDIR: join(scratch, 'out') }),
    node('k8s/app.ts', [], { K8S_WEB_REPLICAS: '0', CDK8S_OUTDIR: join(scratch, 'never') }),
    node('k8s/check.ts', [], { K8S_PROFILE: 'dev' }),
    node('k8s/check.ts', [badYaml]),
  ]);
}, 30_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('npx cdk8s synth runs the app through cdk8s.yaml and prints exactly what synthCharts builds', () => {
  expect(cli.code).toBe(0);
  const printed = join(scratch, 'printed.yaml');
  writeFileSync(printed, cli.stdout);
  // The CLI streams the files concurrently: compare the objects, not their order.
  const key = (m: Manifest) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`;
  const sorted = (objects: Manifest[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));
  expect(sorted(Yaml.load(printed))).toEqual(sorted(synthCharts({ profile: 'dev' }).flatMap((c) => c.manifests)));
});

test('k8s:synth writes both profiles, one file per chart, and lists them', () => {
  expect(synth.code).toBe(0);
  expect(synth.stdout).toMatch(/^Kubernetes manifests \(profile dev, prod\):\n/);
  for (const profile of ['dev', 'prod'] as const) {
    for (const { chart, manifests } of synthCharts({ profile })) {
      const file = join(scratch, 'out', profile, `${chart}.k8s.yaml`);
      expect(Yaml.load(file)).toEqual(manifests);
      expect(synth.stdout).toContain(`${profile}/${chart}.k8s.yaml`);
      expect(readFileSync(file, 'utf8')).toMatch(/^---\napiVersion: v1\nkind: Namespace\n/);
      expect(readFileSync(file, 'utf8')).not.toMatch(/undefined|null/);
    }
  }
});

test('a bad setting prints one clear message, no stack trace, exits 2 and writes nothing', () => {
  expect(badSetting.code).toBe(2);
  expect(badSetting.stderr.trim()).toBe(
    'Invalid webReplicas: received "0"; expected an integer from 1 to 10.\n  Fix: K8S_WEB_REPLICAS=1 npm run k8s:synth   (the same variable works for npx cdk8s synth)',
  );
  expect(() => readFileSync(join(scratch, 'never', 'dev', 'web-app.k8s.yaml'))).toThrow();
});

test('k8s:check passes the synthesized charts and says so', () => {
  expect(check.code).toBe(0);
  expect(check.stdout).toContain('web-app (dev)\n');
  expect(check.stdout).toContain('order-processing (dev)\n');
  expect(check.stdout.trim().split('\n').at(-1)).toBe('k8s:check passed');
});

test('k8s:check on a file with a failure prints object, check and field, and exits 1', () => {
  expect(checkBadFile.code).toBe(1);
  expect(checkBadFile.stdout).toContain('  FAIL  Deployment web-app/web-app  (15/16 checks)');
  expect(checkBadFile.stdout).toContain('image-pinned');
  expect(checkBadFile.stdout.trim().split('\n').at(-1)).toBe('k8s:check FAILED: 1 failed checks');
});
