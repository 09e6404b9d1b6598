import { toMermaid, toSvg } from '../../../labs/cli/diagram';
import type { LabResource } from '../../../labs/cli/resources';

const r = (id: string, type: string, group: string, uses: string[] = [], name = id): LabResource => ({ id, type, name, group, props: {}, uses });

// A service that reaches the load balancer only through a listener, which is not drawn.
const resources = [
  r('s/Vpc', 'AWS::EC2::VPC', 'Service'),
  r('s/Alb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'Service', ['s/Vpc']),
  r('s/Listener', 'AWS::ElasticLoadBalancingV2::Listener', 'Service', ['s/Alb']),
  r('s/Svc', 'AWS::ECS::Service', 'Service', ['s/Listener']),
  r('s/Alarm1', 'AWS::CloudWatch::Alarm', 'Service', ['s/Svc']),
  r('s/Alarm2', 'AWS::CloudWatch::Alarm', 'Service', ['s/Svc']),
  r('s/Logs', 'AWS::Logs::LogGroup', 'Service'),
  r('s/ExecRole', 'AWS::IAM::Role', 'Service', [], 'Web/ExecutionRole/Resource'),
  r('r/Repo', 'AWS::ECR::Repository', 'Registry'),
];

test('draws known types as boxes per group, counts repeats, and folds the rest into the links', () => {
  expect(toMermaid(resources)).toBe(
    [
      'flowchart LR',
      '  subgraph g1["Registry"]',
      '    n1[("ECR repository")]',
      '  end',
      '  subgraph g2["Service"]',
      '    n2["Application Load Balancer"]',
      '    n3["CloudWatch alarm ×2"]',
      '    n4["Fargate service"]',
      '    n5["IAM role ExecutionRole"]',
      '    n6[("log group")]',
      '    n7["VPC"]',
      '  end',
      '  n2 --> n7',
      '  n3 --> n4',
      '  n4 --> n2',
      '',
    ].join('\n'),
  );
});

test('is the same whatever order the resources come in', () => {
  expect(toMermaid([...resources].reverse())).toBe(toMermaid(resources));
});

test('renders SVG offline, without the web-font import the renderer adds', async () => {
  const svg = await toSvg(toMermaid(resources));
  expect(svg).toMatch(/^<svg /);
  expect(svg).toContain('Fargate service');
  expect(svg).not.toMatch(/@import|fonts\.googleapis/);
  expect(await toSvg(toMermaid(resources))).toBe(svg);
});
