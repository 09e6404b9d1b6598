import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '../../common/dist';
import { createAutoPipeApp } from '../../aws/auto-pipe/app';
import { EXAMPLE_DOMAIN } from '../../aws/auto-pipe/config';
import { AutoPipeRegistryStack } from '../../aws/auto-pipe/registry-stack';
import { AutoPipeServiceStack } from '../../aws/auto-pipe/service-stack';
import { testContext } from './synth';

// These tests inspect the construct tree, or a template without the policy engines (cdk-nag, Guard):
// profiles.test.ts and control-tower.test.ts run those.
const stacksOf = (context: Record<string, unknown> = {}) =>
  createAutoPipeApp({ context: testContext(context), validate: false, controlTowerRules: false }).node.children.filter(Stack.isStack);

test("cdk.json carries the pinned aws-cdk-lib's recommended feature flags, as cdk init writes them", () => {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));
  const recommended = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));
  expect(cdkJson.context).toMatchObject(recommended);
  expect(cdkJson.app).toBe('node --require ./common/register.js aws/app.ts');
});

test('without env the app defines dev only: `cdk deploy --all` never touches prod unless asked', () => {
  expect(stacksOf().map((s) => s.node.id)).toEqual(['AutoPipeRegistry-dev', 'AutoPipeService-dev']);
});

test('env=prod (with its domain) defines the prod stacks', () => {
  expect(stacksOf({ env: 'prod', ...EXAMPLE_DOMAIN }).map((s) => s.node.id)).toEqual(['AutoPipeRegistry-prod', 'AutoPipeService-prod']);
});

test('each service stack deploys after, and is destroyed before, its registry', () => {
  const [registry, service] = stacksOf({ env: 'dev' });
  expect(service.dependencies).toEqual([registry]);
  expect(registry.dependencies).toEqual([]);
});

test('stacks target us-east-1 unless region says otherwise; the account comes from your credentials', () => {
  const [dev] = stacksOf({ env: 'dev' });
  expect(dev.region).toBe('us-east-1');
  expect(Stack.of(dev).resolve(dev.account)).toEqual({ Ref: 'AWS::AccountId' });
  expect(stacksOf({ env: 'dev', region: 'eu-west-1' }).map((s) => s.region)).toEqual(['eu-west-1', 'eu-west-1']);
});

test('stacks carry project and profile tags, which CloudFormation propagates to every resource', () => {
  for (const stack of stacksOf()) {
    const profile = stack.node.id.split('-')[1];
    expect(stack.tags.tagValues()).toEqual({ project: 'auto-pipe', profile });
  }
});

test('without githubRepo no repository is trusted: no deploy role, and synth says how to add one', () => {
  const [registry] = stacksOf({ env: 'dev' }) as [AutoPipeRegistryStack];
  expect(registry.deployer).toBeUndefined();
  expect(registry.node.findAll().some((c) => c.node.id === 'GitHubDeploy')).toBe(false);
  const info = registry.node.metadata.filter((m) => m.type === 'aws:cdk:info').map((m) => m.data);
  expect(info).toEqual([expect.stringContaining('-c githubRepo=<owner>/<name>')]);
});

test('a new cdk-nag finding fails synth, naming the rule and the construct', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'auto-pipe-nag-'));
  try {
    // This synth is about cdk-nag; the profile tests run CloudFormation schema validation.
    const app = createAutoPipeApp({ context: testContext({ env: 'dev' }), outdir, validate: false });
    const service = app.node.findChild('AutoPipeService-dev') as AutoPipeServiceStack;
    const ssh = new ec2.SecurityGroup(service, 'Ssh', { vpc: service.network.vpc, description: 'SSH from anywhere' });
    ssh.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    expect(() => app.synth()).toThrow(/AutoPipeService-dev\/Ssh\/Resource[\s\S]*AwsSolutions-EC23/);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

test('prod with allowHttp=true synthesizes on plain HTTP and says so as a warning', () => {
  const [, service] = stacksOf({ env: 'prod', allowHttp: 'true' });
  const warnings = service.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
  expect(warnings).toEqual([expect.stringMatching(/^prod serves plain HTTP \(allowHttp=true\): .* Set domainName, hostedZoneId and hostedZoneName to serve HTTPS\. \[ack: auto-pipe:prod-plain-http\]$/)]);
  const [dev] = stacksOf({ env: 'dev' }).slice(1);
  expect(dev.node.metadata.filter((m) => m.type === 'aws:cdk:warning')).toEqual([]);
});

test('a learner\'s own image (a FastAPI app on 8000 without wget) deploys with its port, health path and user, and no in-container check', () => {
  const [, service] = stacksOf({ env: 'dev', containerPort: '8000', healthPath: '/health', containerUser: '10001:10001', containerHealthCheck: 'false' });
  const template = Template.fromStack(service);
  const [container] = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions;
  expect(container).toMatchObject({ User: '10001:10001', PortMappings: [{ ContainerPort: 8000, Name: 'http', Protocol: 'tcp' }] });
  expect(container.HealthCheck).toBeUndefined();
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8000, HealthCheckPath: '/health' });
  // The load balancer reaches the new port, and only that one.
  template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8000, ToPort: 8000, IpProtocol: 'tcp' });
});

test('the placeholder, served before the first ImageTag, honours the image keys: the same port, health path and user', () => {
  const [, service] = stacksOf({ env: 'dev', containerPort: '8000', healthPath: '/healthz', containerUser: '10001' });
  const [container] = Object.values(Template.fromStack(service).findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions;
  expect(container).toMatchObject({ User: '10001', PortMappings: [{ ContainerPort: 8000 }], HealthCheck: { Command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8000/healthz || exit 1'] } });
  const [, , script] = container.Command['Fn::If'][1];
  expect(script).toContain(`echo ok > "$root"'/healthz'`);
  expect(script).toContain('exec httpd -f -p 8000 -h "$root"');
});
