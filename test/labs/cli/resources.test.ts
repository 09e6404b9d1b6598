import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { fromCloudAssembly, fromManifests, fromOfflinePlan } from '../../../labs/cli/resources';

test('CloudFormation: links from Ref, GetAtt, Sub and DependsOn within the stack, roles to what their policies grant; names from the construct path', () => {
  const template = {
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Metadata: { 'aws:cdk:path': 'Svc/Network/Vpc/Resource' } },
      Role: { Type: 'AWS::IAM::Role' },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { VpcId: { Ref: 'Vpc' } } },
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ExecutionRoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
      Svc: {
        Type: 'AWS::ECS::Service',
        DependsOn: ['Role'],
        Properties: {
          TaskDefinition: { Ref: 'Task' },
          Name: { 'Fn::Sub': ['${Sg.GroupId}-${Other}', { Other: { 'Fn::GetAtt': 'Vpc.CidrBlock' } }] },
          Region: { Ref: 'AWS::Region' },
        },
      },
      Logs: { Type: 'AWS::Logs::LogGroup' },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [{ Resource: { 'Fn::GetAtt': ['Logs', 'Arn'] } }] } },
      },
      CDKMetadata: { Type: 'AWS::CDK::Metadata' },
    },
  };
  const resources = fromCloudAssembly({ stacks: [{ stackName: 'Svc', template }] } as unknown as CloudAssembly);
  expect(resources.map((r) => r.id)).toEqual(['Svc/Vpc', 'Svc/Role', 'Svc/Sg', 'Svc/Task', 'Svc/Svc', 'Svc/Logs', 'Svc/Policy']);
  expect(resources.find((r) => r.id === 'Svc/Vpc')).toMatchObject({ name: 'Network/Vpc/Resource', group: 'Svc', uses: [] });
  expect(resources.find((r) => r.id === 'Svc/Task')!.uses).toEqual(['Svc/Role']);
  expect(resources.find((r) => r.id === 'Svc/Svc')!.uses).toEqual(['Svc/Role', 'Svc/Sg', 'Svc/Task', 'Svc/Vpc']);
  // What a policy grants, its role uses.
  expect(resources.find((r) => r.id === 'Svc/Role')!.uses).toEqual(['Svc/Logs']);
});

test('Pulumi: components become groups, the stack is left out, dependencies stay among resources', () => {
  const resources = fromOfflinePlan([
    { type: 'pulumi:pulumi:Stack', name: 'stack', inputs: {}, dependencies: [] },
    { type: 'iac-lab-kit:gcp:LabNetwork', name: 'net', parent: 'stack', inputs: {}, dependencies: [] },
    { type: 'gcp:compute/network:Network', name: 'vpc', parent: 'net', inputs: { autoCreateSubnetworks: false }, dependencies: [] },
    { type: 'gcp:compute/subnetwork:Subnetwork', name: 'subnet', parent: 'net', inputs: {}, dependencies: ['vpc', 'net'] },
  ]);
  expect(resources).toEqual([
    { id: 'vpc', type: 'gcp:compute/network:Network', name: 'vpc', group: 'net', props: { autoCreateSubnetworks: false }, uses: [] },
    { id: 'subnet', type: 'gcp:compute/subnetwork:Subnetwork', name: 'subnet', group: 'net', props: {}, uses: ['vpc'] },
  ]);
});

describe('Kubernetes', () => {
  const pod = (app: string, extra: Record<string, unknown> = {}) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: app, ...extra }] } });
  const manifests = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'shop' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: pod('web', { envFrom: [{ configMapRef: { name: 'settings' } }], env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'p' } } }] }) },
    },
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'queue', namespace: 'shop' }, spec: { template: pod('queue') } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { rules: [{ http: { paths: [{ backend: { service: { name: 'web' } } }] } }] } },
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' } } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web-to-queue', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'queue' } } }, { ipBlock: { cidr: '0.0.0.0/0' } }] }],
      },
    },
  ];
  const resources = fromManifests(manifests);
  const uses = (id: string) => resources.find((r) => r.id === id)!.uses;

  test('wires what the API server wires: selectors, backends, scale targets, config and secrets', () => {
    expect(uses('Service/shop/web')).toEqual(['Deployment/shop/web']);
    expect(uses('Ingress/shop/web')).toEqual(['Service/shop/web']);
    expect(uses('HorizontalPodAutoscaler/shop/web')).toEqual(['Deployment/shop/web']);
    expect(resources.find((r) => r.id === 'Deployment/shop/web')).toMatchObject({ type: 'apps/v1/Deployment', group: 'shop' });
  });

  test('a workload uses the workloads its NetworkPolicies let it reach (addresses outside the cluster are not drawn)', () => {
    expect(uses('Deployment/shop/web')).toEqual(['ConfigMap/shop/settings', 'Secret/shop/creds', 'StatefulSet/shop/queue']);
    expect(uses('StatefulSet/shop/queue')).toEqual([]);
  });
});
