/**
 * The workflows as GitHub reads them: each parses without errors with GitHub's own parser
 * (@actions/workflow-parser, from actions/languageservices, the parser behind GitHub's Actions
 * editor support, kept in step with the service's schema), every third-party action is pinned to a
 * commit SHA, no job that runs a scanner can mint cloud credentials, and no job runs an end-of-life Node.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../common/dist';

const DIR = join(REPO_ROOT, '.github/workflows');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly permissions?: Record<string, string> | string;
  readonly steps?: Step[];
  readonly strategy?: { matrix?: Record<string, unknown[]> };
}

const workflows = FILES.map((file) => {
  const content = readFileSync(join(DIR, file), 'utf8');
  return { file, content, jobs: (parse(content) as { jobs: Record<string, Job> }).jobs };
});

/** Node.js lines past end of life in December 2026 (https://nodejs.org/en/about/previous-releases). */
const EOL_NODE = /^(1\d|20|21|23)(\.|$)/;
/** Actions that pull and run scanners or other third-party code on the image. */
const SCANNERS = /^aquasecurity\//;

test('the kit has the workflows the guides name', () => {
  expect(FILES).toEqual(['auto-pipe.yml', 'ci.yml']);
});

describe.each(workflows)('$file', ({ file, content, jobs }) => {
  test('parses with GitHub\'s workflow parser, without errors', () => {
    const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    expect(result.value).toBeDefined();
  });

  const steps = Object.entries(jobs).flatMap(([job, { steps = [] }]) => steps.map((step) => ({ job, step })));
  const uses = steps.filter(({ step }) => step.uses !== undefined && !step.uses.startsWith('./'));

  test('pins every action to a full commit SHA, with its release tag in a comment', () => {
    expect(uses.length).toBeGreaterThan(0);
    for (const { step } of uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
    for (const { step } of uses) expect(content).toMatch(new RegExp(`${step.uses!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # v\\d+\\.\\d+\\.\\d+\\n`));
  });

  test('no job that runs a scanner holds id-token: write', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const scans = (job.steps ?? []).some((step) => SCANNERS.test(step.uses ?? ''));
      const mintsTokens = typeof job.permissions === 'object' && job.permissions['id-token'] === 'write';
      expect({ job: name, scansAndMintsTokens: scans && mintsTokens }).toEqual({ job: name, scansAndMintsTokens: false });
    }
  });

  test('runs no end-of-life Node except 20, kept in the kit\'s own test matrix while users still have it', () => {
    const versions = steps.filter(({ step }) => /^actions\/setup-node@/.test(step.uses ?? '')).map(({ job, step }) => {
      const version = String(step.with?.['node-version']);
      return version.startsWith('${{') ? (jobs[job].strategy?.matrix?.node ?? []).map(String) : [version];
    });
    for (const version of versions.flat()) expect(file === 'ci.yml' && version === '20' ? false : EOL_NODE.test(version)).toBe(false);
  });
});

test('the Trivy action is a release its maintainers name safe, with the Trivy version set explicitly', () => {
  const { jobs } = workflows.find((w) => w.file === 'auto-pipe.yml')!;
  const scan = Object.values(jobs).flatMap((j) => j.steps ?? []).find((s) => SCANNERS.test(s.uses ?? ''))!;
  expect(scan.uses).toBe('aquasecurity/trivy-action@ed142fd0673e97e23eac54620cfb913e5ce36c25');
  expect(String(scan.with?.version)).toMatch(/^v0\.(?!69\.[4-6]$)\d+\.\d+$/);
});

test('the kit\'s CI runs on the Node lines package.json supports', () => {
  const { jobs } = workflows.find((w) => w.file === 'ci.yml')!;
  const engines = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  expect(jobs.test.strategy?.matrix?.node).toEqual([20, 22, 24]);
  expect(engines.split('||').map((range) => range.trim().match(/^\^(\d+)\./)![1])).toEqual(['20', '22', '24']);
});

test('the kit\'s CI also runs the integration tests and the learner with every exercise done, each a package.json script', () => {
  const { jobs } = workflows.find((w) => w.file === 'ci.yml')!;
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const [job, script] of [['integration', 'test:integration'], ['solutions', 'test:solutions']]) {
    expect(jobs[job].steps?.map((step) => step.run)).toContain(`npm run ${script}`);
    expect(scripts[script]).toBeDefined();
  }
});

test('the parser rejects what GitHub rejects: an unknown job key and a step with neither run nor uses', () => {
  const broken = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - name: nothing\n';
  const errors = parseWorkflow({ name: 'broken.yml', content: broken }, new NoOperationTraceWriter()).context.errors.getErrors();
  expect(errors.map((e) => e.message).join('\n')).toMatch(/stepz/);
  expect(errors.length).toBeGreaterThanOrEqual(2);
});

describe('the deploy job stops before it changes anything when ECS\'s service-linked role is missing', () => {
  const { jobs } = workflows.find((w) => w.file === 'auto-pipe.yml')!;
  const steps = Object.values(jobs).flatMap((j) => j.steps ?? []);
  const check = steps.find((s) => s.name === "Check ECS's service-linked role")!;

  /** Runs the step's script as GitHub runs a `run:` step (bash -eo pipefail), with a stand-in `aws` CLI. */
  const runWith = (aws: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'iac-lab-kit-aws-'));
    try {
      writeFileSync(join(dir, 'aws'), `#!/bin/sh\n${aws}\n`);
      chmodSync(join(dir, 'aws'), 0o755);
      writeFileSync(join(dir, 'step.sh'), check.run!);
      return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'step.sh')], { env: { PATH: `${dir}:${process.env.PATH}` }, encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('it runs before the deploy, after the credentials', () => {
    const names = steps.map((s) => s.name ?? s.uses ?? s.run);
    expect(names.indexOf("Check ECS's service-linked role")).toBeGreaterThan(names.findIndex((n) => /configure-aws-credentials/.test(String(n))));
    expect(names.indexOf("Check ECS's service-linked role")).toBeLessThan(names.indexOf('Deploy'));
  });

  test('a missing role fails the job with the command that creates it', () => {
    const run = runWith('echo "An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name AWSServiceRoleForECS cannot be found." >&2; exit 254');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::ECS\'s service-linked role AWSServiceRoleForECS does not exist in this account. Create it once (free; safe to repeat): aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com');
  });

  test('any other failure is reported as it is, and an existing role lets the job go on', () => {
    const denied = runWith('echo "An error occurred (AccessDenied) when calling the GetRole operation" >&2; exit 254');
    expect(denied.status).toBe(1);
    expect(denied.stdout).toContain('::error::Could not check ECS\'s service-linked role: An error occurred (AccessDenied)');
    expect(runWith('echo \'{"Role": {"RoleName": "AWSServiceRoleForECS"}}\'').status).toBe(0);
  });
});
