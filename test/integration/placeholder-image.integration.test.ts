/**
 * The placeholder a new service stack runs (ImageTag empty), run as ECS would run it: the command
 * from the synthesized task definition, by BusyBox (Debian's `busybox`, the same applets the image's
 * are linked to; .ci/run installs it), as a non-root user, with a scratch TMPDIR standing in for the
 * task's /tmp. The load balancer's health check and ECS's container health check must both pass
 * under the image contract the learner configured, not the placeholder's own.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createAutoPipeApp } from '../../aws/auto-pipe/app';
import type { ContainerContract } from '../../aws/config';
import { placeholderCommand } from '../../aws/constructs/service-image';
import { testContext } from '../aws/synth';
import { firstExisting, freePort, LOOPBACK, type RunningProcess, scratchDir, serviceUser, startProcess } from './servers/process';

jest.setTimeout(60_000);

const APPLETS = ['sh', 'mktemp', 'mkdir', 'echo', 'httpd', 'wget'];
const BUSYBOX = firstExisting(['/usr/bin/busybox', '/bin/busybox']);
const REMEDY = 'Install Debian\'s busybox: apt-get install busybox (.ci/run installs it).';
// The image's /bin: every applet a link to the one binary, and nothing else on PATH.
const scratch = mkdtempSync(join(tmpdir(), 'iac-lab-kit-placeholder-'));
chmodSync(scratch, 0o755);
const bin = join(scratch, 'bin');
mkdirSync(bin);
for (const applet of APPLETS) symlinkSync(BUSYBOX ?? 'busybox', join(bin, applet));
// `nobody` when the tests run as root, as ECS runs the container as the contract's user.
const user = serviceUser('nobody');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The placeholder's command as ECS starts it: the image's sh, only its applets on PATH, a scratch /tmp (TMPDIR). */
function startPlaceholder(command: readonly string[], port: number): Promise<RunningProcess> {
  const dir = scratchDir('placeholder', user);
  const [shell, ...args] = command;
  return startProcess({
    server: 'the placeholder (busybox httpd)',
    command: BUSYBOX === undefined ? 'busybox' : join(bin, shell),
    args,
    env: { PATH: bin, TMPDIR: dir },
    cwd: dir,
    user,
    ready: async () => (await fetch(`http://${LOOPBACK}:${port}/`)).ok,
    timeoutMs: 5_000,
    remedy: REMEDY,
  });
}

/** The container health check as ECS runs CMD-SHELL: the image's sh, its wget. */
function containerHealthCheck(commandShell: string): number {
  try {
    execFileSync(join(bin, 'sh'), ['-c', commandShell], { env: { PATH: bin }, stdio: 'ignore' });
    return 0;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

const status = async (port: number, path: string) => (await fetch(`http://${LOOPBACK}:${port}${path}`)).status;

describe('the synthesized task definition, with a FastAPI contract (containerPort, healthPath /health)', () => {
  let port: number;
  let placeholder: RunningProcess;
  let container: { Command: { 'Fn::If': [string, string[], unknown] }; HealthCheck: { Command: string[] }; User: string };
  let healthPath: string;

  beforeAll(async () => {
    port = await freePort();
    // The port is the kernel's free one, so the synth happens here rather than at the top of the file.
    const app = createAutoPipeApp({
      context: testContext({ env: 'dev', containerPort: String(port), healthPath: '/health', containerUser: '10001' }),
      validate: false,
      controlTowerRules: false,
    });
    const template = Template.fromStack(app.node.findChild('AutoPipeService-dev') as Stack);
    const [definition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    [container] = definition.Properties.ContainerDefinitions;
    [healthPath] = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup')).map(
      (group) => group.Properties.HealthCheckPath as string,
    );
    placeholder = await startPlaceholder(container.Command['Fn::If'][1], port);
  });
  afterAll(() => placeholder?.stop());

  test('runs only while ImageTag is empty, and answers the target group\'s health check with 200', async () => {
    expect(container.Command['Fn::If'][0]).toBe('PlaceholderImage');
    expect(container.Command['Fn::If'][2]).toEqual({ Ref: 'AWS::NoValue' });
    expect(await status(port, healthPath)).toBe(200);
    expect(await status(port, '/')).toBe(200);
    expect(await status(port, '/no-such-page')).toBe(404);
  });

  test('passes ECS\'s container health check, the wget command of the task definition', () => {
    const [kind, commandShell] = container.HealthCheck.Command;
    expect(kind).toBe('CMD-SHELL');
    expect(containerHealthCheck(commandShell)).toBe(0);
    expect(containerHealthCheck(commandShell.replace('/health', '/missing'))).not.toBe(0);
  });
});

describe.each<[string, ContainerContract['healthPath']]>([
  ['the root', '/'],
  ['a nested path with a quote and an encoded space', "/ops/it's%20up"],
  ['a directory path', '/status/'],
])('placeholderCommand with %s as health path', (_name, healthPath) => {
  test(`serves ${healthPath} with 200`, async () => {
    const port = await freePort();
    const placeholder = await startPlaceholder(placeholderCommand({ port, healthPath, user: '1000', wgetHealthCheck: true }), port);
    try {
      expect(await status(port, healthPath)).toBe(200);
    } finally {
      await placeholder.stop();
    }
  });
});
