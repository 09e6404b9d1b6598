/**
 * dist/ under concurrent synths: each output is published whole (staged, then renamed into place),
 * so several processes writing the same lab never crash and never leave a mix of two outputs.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';

let dist: string;
beforeEach(() => {
  dist = mkdtempSync(join(tmpdir(), 'dist-concurrency-'));
});
afterEach(() => rmSync(dist, { recursive: true, force: true }));

const node = (args: readonly string[], env: Record<string, string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--require', join(REPO_ROOT, 'common/register.js'), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

test('8 processes publishing the same output at once: all succeed, one whole output remains, no staging left', async () => {
  const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => node([join(REPO_ROOT, 'test/common/publish-worker.ts'), `writer-${i}`], { IAC_LAB_DIST_DIR: dist })));
  expect(runs.map((r) => [r.code, r.stderr])).toEqual(Array.from({ length: 8 }, () => [0, '']));
  const published = join(dist, 'lab/dev');
  const writers = new Set(readdirSync(published).map((file) => readFileSync(join(published, file), 'utf8')));
  expect(readdirSync(published)).toHaveLength(50);
  expect(writers.size).toBe(1);
  expect(readdirSync(dist).filter((name) => name.startsWith('.staging-'))).toEqual([]);
  expect(readdirSync(join(dist, 'lab'))).toEqual(['dev']);
});

test('4 concurrent `lab synth` of two labs: all succeed and write what a lone run writes', async () => {
  const cli = join(REPO_ROOT, 'labs/cli/cli.ts');
  const lone = join(dist, 'lone');
  const together = join(dist, 'together');
  expect((await node([cli, 'synth', 'k8s-web-app'], { IAC_LAB_DIST_DIR: lone })).code).toBe(0);
  const runs = await Promise.all(['k8s-web-app', 'k8s-web-app', 'k8s-web-app', 'order-processing'].map((lab) => node([cli, 'synth', lab], { IAC_LAB_DIST_DIR: together })));
  expect(runs.map((r) => [r.code, r.stderr])).toEqual(Array.from({ length: 4 }, () => [0, '']));
  for (const profile of ['dev', 'prod']) {
    const file = `k8s-web-app/${profile}/web-app.k8s.yaml`;
    expect(readFileSync(join(together, file), 'utf8')).toBe(readFileSync(join(lone, file), 'utf8'));
  }
  expect(readdirSync(join(together, 'k8s-web-app/dev'))).toEqual(['web-app.k8s.yaml']);
});

test.each([
  ['a file where dist/ should be', (root: string) => writeFileSync(join(root, 'dist'), 'not a folder'), (root: string) => join(root, 'dist'), 'ENOTDIR', 'a file stands where a folder should be. Fix: move that file away'],
])('%s is one line naming the folder and the fix, exit 1, no stack trace', (_case, prepare, folder, code, problem) => {
  prepare(dist);
  const run = spawnSync(process.execPath, ['--require', join(REPO_ROOT, 'common/register.js'), join(REPO_ROOT, 'labs/cli/cli.ts'), 'synth', 'k8s-web-app'], {
    cwd: REPO_ROOT,
    env: { ...process.env, IAC_LAB_DIST_DIR: join(dist, 'dist') },
    encoding: 'utf8',
  });
  expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: '' });
  expect(run.stderr).toBe(`Cannot write to ${join(folder(dist), 'k8s-web-app', 'dev')} (${code}): ${problem}, or write elsewhere: IAC_LAB_DIST_DIR=/tmp/iac-lab-dist npm run synth\n`);
});
