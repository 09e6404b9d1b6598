/**
 * The commands a learner types, run as processes: `npx cdk8s synth` (through cdk8s.yaml, which runs
 * the entry of `npm run k8s:synth`) and `npm run k8s:check`, including their failures; and the writer.
 */
import { Yaml } from 'cdk8s';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';
import { synthCharts, writeCharts } from '../../k8s/synth';

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

const node = (entry: string, args: string[] = [], env: Record<string, string> = {}) => run(process.execPath, ['--require', './common/register.js', entry, ...args], env);

const scratch = mkdtempSync(join(tmpdir(), 'k8s-entry-'));
const goodYaml = join(scratch, 'good.k8s.yaml');
const badYaml = join(scratch, 'bad.k8s.yaml');
let cli: Run, badSetting: Run, check: Run;

beforeAll(async () => {
  const manifests = synthCharts()[0].manifests;
  writeFileSync(goodYaml, Yaml.stringify(...manifests));
  const broken = structuredClone(manifests);
  broken.find((m) => m.kind === 'Deployment')!.spec.template.spec.containers[0].image = 'nginx';
  writeFileSync(badYaml, Yaml.stringify(...broken));
  [cli, badSetting, check] = await Promise.all([
    // --output, not --stdout: with cdk8s.yaml's `output` set, the CLI deletes that folder even for --stdout.
    run(join(REPO_ROOT, 'node_modules/.bin/cdk8s'), ['synth', '--output', join(scratch, 'cli')], { K8S_PROFILE: 'dev' }),
    node('k8s/app.ts', [], { K8S_WEB_REPLICAS: '0', CDK8S_OUTDIR: join(scratch, 'never') }),
    node('k8s/check.ts', [goodYaml, badYaml]),
  ]);
}, 30_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('npx cdk8s synth runs the app through cdk8s.yaml and writes exactly what synthCharts builds', () => {
  expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
  for (const { chart, manifests } of synthCharts({ profile: 'dev' })) {
    expect(Yaml.load(join(scratch, 'cli', 'dev', `${chart}.k8s.yaml`))).toEqual(manifests);
  }
});

test('a bad setting prints one clear message, no stack trace, exits 2 and writes nothing', () => {
  expect(badSetting.code).toBe(2);
  expect(badSetting.stderr.trim()).toBe(
    'Invalid webReplicas: received "0"; expected an integer from 1 to 10.\n  Fix: K8S_WEB_REPLICAS=1 npm run k8s:synth   (the same variable works for npx cdk8s synth)',
  );
  expect(existsSync(join(scratch, 'never'))).toBe(false);
});

test('k8s:check reports each file, names object, check and field of a failure, and exits 1', () => {
  expect(check.code).toBe(1);
  const [good, bad] = check.stdout.split(`${badYaml}\n`);
  expect(good).toContain(`${goodYaml}\n`);
  expect(good).toContain('  12 objects, 45 passed, 0 failed');
  expect(bad).toContain('  FAIL  Deployment web-app/web-app  (18/19 checks)');
  expect(bad).toContain('image-pinned');
  expect(check.stdout.trim().split('\n').at(-1)).toBe('k8s:check FAILED: 1 failed checks');
});

test('writeCharts writes each profile and chart under the output folder, as separate YAML documents', () => {
  const out = join(scratch, 'out');
  const written = writeCharts(['dev', 'prod'], {}, out);
  expect(written.map((w) => w.path.split('/').slice(-2).join('/'))).toEqual([
    'dev/web-app.k8s.yaml',
    'dev/order-processing.k8s.yaml',
    'prod/web-app.k8s.yaml',
    'prod/order-processing.k8s.yaml',
  ]);
  for (const profile of ['dev', 'prod'] as const) {
    for (const { chart, manifests } of synthCharts({ profile })) {
      const file = join(out, profile, `${chart}.k8s.yaml`);
      expect(Yaml.load(file)).toEqual(manifests);
      expect(readFileSync(file, 'utf8')).toMatch(/^---\napiVersion: v1\nkind: Namespace\n/);
    }
  }
});

test('writeCharts validates every profile before writing any file', () => {
  expect(() => writeCharts(['dev', 'prod'], { webReplicas: 0 }, join(scratch, 'none'))).toThrow('Invalid webReplicas');
  expect(existsSync(join(scratch, 'none'))).toBe(false);
});
