/**
 * The `lab` command, run as a learner runs it (in-process through runLab, and once through the
 * package bin), over every lab of the catalogue.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, REPO_ROOT } from '../../../common/dist';
import { estimateCost } from '../../../labs/cli/cost';
import { readGuide } from '../../../labs/cli/guide';
import { USAGE } from '../../../labs/cli/lab-command';
import { lab } from './run-lab';
import { synthesizeLab } from '../../../labs/cli/synth';
import { findLab, LAB_IDS, LABS } from '../../../labs/index';
import { kitAsCommitted } from '../kit-base';


describe('list', () => {
  test('shows every lab with its tool, cloud, level and dev cost per hour', async () => {
    const { code, out } = await lab('list');
    expect(code).toBe(0);
    const rows = out.split('\n').slice(2, 2 + LABS.length);
    expect(rows.map((row) => row.split(/\s{2,}/)[0])).toEqual([...LAB_IDS]);
    expect(out).toMatch(/^auto-pipe\s+AWS CDK\s+AWS\s+intermediate\s+120 min\s+\$0\.\d{4}$/m);
    expect(out).toMatch(/^k8s-web-app\s+cdk8s\s+Kubernetes\s+beginner\s+60 min\s+free$/m);
  });

  test('--json gives the same figures as the cost model', async () => {
    const rows = JSON.parse((await lab('list', '--json')).out);
    expect(rows.map((r: { id: string }) => r.id)).toEqual([...LAB_IDS]);
    const gke = LABS.find((l) => l.id === 'gke')!;
    expect(rows.find((r: { id: string }) => r.id === 'gke')).toMatchObject({ id: 'gke', tool: 'Pulumi', cloud: 'GCP', devCostPerHour: estimateCost(gke, await synthesizeLab(gke, 'dev', { validate: false })).totalPerHour });
  });
});

test('show gives the guide summary, its commands, the exercises and where the code lives', async () => {
  const { code, out } = await lab('show', 'gke');
  expect(code).toBe(0);
  expect(out).toContain(readGuide('gke').title);
  expect(out).toContain('$ pulumi preview');
  expect(out).toMatch(/Teardown:\n(\s+\$ .+\n)+/);
  for (const e of findLab('gke')!.exercises) expect(out).toContain(`${e.number}. ${e.title}`);
  expect(out).toContain('Code:   gcp/, Pulumi.yaml');
});

describe('cost', () => {
  test('itemizes the charges, totals them, and prices a session of N hours', async () => {
    const { code, out } = await lab('cost', 'gke', '--hours', '3');
    expect(code).toBe(0);
    expect(out).toMatch(/^gke \(dev\), us-central1, USD list prices of \d{4}-\d{2}-\d{2}$/m);
    expect(out).toMatch(/^1 node, e2-medium Spot\s+1 VM at \$0\.01005 per VM-hour/m);
    expect(out).toMatch(/^total: \$0\.\d+ an hour, \$\d+\.\d\d a month \(730 hours\)$/m);
    expect(out).toMatch(/^for 3 hours: \$0\.\d+$/m);
    expect(out).toMatch(/^no charge: \d+ resources \(/m);
  });

  test('--json has the documented shape', async () => {
    const json = JSON.parse((await lab('cost', 'auto-pipe', '--profile', 'prod', '--json')).out);
    expect(Object.keys(json)).toEqual(['lab', 'profile', 'region', 'currency', 'priceDate', 'resources', 'totalPerHour', 'totalPerMonth']);
    expect(json).toMatchObject({ lab: 'auto-pipe', profile: 'prod', region: 'us-east-1', currency: 'USD' });
    expect(json.resources.find((r: { type: string }) => r.type === 'AWS::EC2::NatGateway')).toMatchObject({ basis: 'hourly', perHour: 0.045 });
  });
});

test('diagram writes the Mermaid text and an SVG rendered offline', async () => {
  const { code, out } = await lab('diagram', 'order-processing');
  expect(code).toBe(0);
  expect(out).toMatch(/^flowchart LR$/m);
  const mmd = readFileSync(join(DIST_DIR, 'diagrams/order-processing.mmd'), 'utf8');
  const svg = readFileSync(join(DIST_DIR, 'diagrams/order-processing.svg'), 'utf8');
  expect(out).toContain(mmd);
  expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svg).toContain('StatefulSet rabbitmq');
  expect(svg).not.toMatch(/@import|https?:\/\/fonts/);
});

test('the kit as committed: its guides and README hold the diagrams, costs, labs table and quoted numbers its code gives (lab docs --check)', async () => {
  // On the committed kit, never a learner's changed tree: their exercises change what the code gives.
  const kit = kitAsCommitted();
  try {
    expect(await kit.lab('docs', '--check')).toEqual({ code: 0, out: 'Guides and README are up to date.\n', err: '' }); // fix: npm run lab -- docs
  } finally {
    kit.remove();
  }
}, 30_000);

describe('usage errors exit 2 with the valid choices and the command line that fixes them', () => {
  test.each([
    [['deploy'], 'Invalid command: received "deploy"; expected one of list, show, synth, check, cost, diagram, docs.', 'npm run lab -- list'],
    [['show', 'eks'], `Invalid lab: received "eks"; expected one of ${LAB_IDS.join(', ')}.`, 'npm run lab -- show auto-pipe'],
    [['diagram'], 'Invalid lab: received nothing (the key is not set)', 'npm run lab -- diagram auto-pipe'],
    [['cost', 'gke', 'cloudsql'], 'Invalid arguments: received "gke cloudsql"; expected one lab id.', 'npm run lab -- cost gke'],
    [['synth', 'gke', '--profile', 'staging'], 'Invalid profile: received "staging"; expected one of dev, prod.', 'npm run lab -- synth gke --profile dev'],
    [['cost', 'gke', '--hours', '0'], 'Invalid hours: received "0"; expected an integer from 1 to 8760.', 'npm run lab -- cost gke --hours 1'],
    [['cost', 'gke', '--hours', '-1'], 'Invalid hours: received "-1"; expected an integer from 1 to 8760.', 'npm run lab -- cost gke --hours 1'],
    [['cost', 'gke', '--hours', '1.5'], 'Invalid hours: received "1.5"; expected an integer from 1 to 8760.', 'npm run lab -- cost gke --hours 1'],
    [['cost', 'gke', '--profile', 'dev', '--profile', 'prod'], 'Invalid profile: received "dev and prod"; expected one value (one of dev, prod).', 'npm run lab -- cost gke --profile prod'],
    [['check', 'gke', '--exercise', '1', '--exercise', '2'], 'Invalid exercise: received "1 and 2"; expected one value (an exercise number).', 'npm run lab -- check gke --exercise 2'],
    [['cost', '--region', 'eu', 'gke'], 'Invalid option: received "--region"', 'npm run lab -- cost gke'],
    [['check', 'gke', '--exercise', '9'], 'Invalid exercise: received "9"; expected one of 1, 2, 3.', 'npm run lab -- check gke --exercise 1'],
  ])('%j', async (argv, message, fix) => {
    const { code, out, err } = await lab(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err).toContain(`\n  Fix: ${fix}\n`);
    expect(err).toContain(USAGE);
    expect(err).not.toMatch(/\n\s+at /);
  });
});

test('npx iac-lab runs the same command through the package bin', () => {
  const run = spawnSync(join(REPO_ROOT, 'bin/iac-lab.js'), ['show', 'nope'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('Invalid lab: received "nope"');
  expect(existsSync(join(REPO_ROOT, 'bin/iac-lab.js'))).toBe(true);
});
