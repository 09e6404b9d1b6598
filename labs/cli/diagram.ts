/**
 * Draws a lab's architecture from its synthesized resources: Mermaid text for the guides, and
 * an SVG rendered offline from that same text (beautiful-mermaid: no browser, no network).
 *
 * Resources of the types below become boxes; everything else (policies, routes, listeners,
 * API enablements...) is folded away, and its links pass through, so an ECS service that uses a
 * listener that uses the load balancer is drawn as service --> load balancer. Repeated boxes
 * of one kind in one group are drawn once with a count. Arrows point to what a resource uses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabResource } from './resources';

interface Shape {
  readonly label: string;
  /** Draw one box per resource, named, instead of one box per group with a count. */
  readonly each?: boolean;
  readonly store?: boolean;
}

const SHAPES: Record<string, Shape> = {
  'AWS::IAM::OIDCProvider': { label: 'GitHub OIDC provider' },
  'AWS::IAM::Role': { label: 'IAM role', each: true },
  'AWS::ECR::Repository': { label: 'ECR repository', store: true },
  'AWS::EC2::VPC': { label: 'VPC' },
  'AWS::EC2::NatGateway': { label: 'NAT gateway' },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { label: 'Application Load Balancer' },
  'AWS::ECS::Cluster': { label: 'ECS cluster' },
  'AWS::ECS::Service': { label: 'Fargate service' },
  'AWS::ECS::TaskDefinition': { label: 'task definition' },
  'AWS::ApplicationAutoScaling::ScalableTarget': { label: 'auto scaling' },
  'AWS::Logs::LogGroup': { label: 'log group', store: true },
  'AWS::S3::Bucket': { label: 'access-log bucket', store: true },
  'AWS::SNS::Topic': { label: 'SNS topic' },
  'AWS::CloudWatch::Alarm': { label: 'CloudWatch alarm' },
  'AWS::CloudWatch::Dashboard': { label: 'CloudWatch dashboard' },
  'AWS::RDS::DBInstance': { label: 'RDS for PostgreSQL', store: true },
  'AWS::ElastiCache::ReplicationGroup': { label: 'ElastiCache for Valkey', store: true },
  'AWS::SecretsManager::Secret': { label: 'secret', store: true },
  'AWS::KMS::Key': { label: 'KMS key' },

  'gcp:compute/network:Network': { label: 'VPC network' },
  'gcp:compute/subnetwork:Subnetwork': { label: 'subnet' },
  'gcp:compute/routerNat:RouterNat': { label: 'Cloud NAT' },
  'gcp:compute/firewall:Firewall': { label: 'firewall rule' },
  'gcp:compute/globalAddress:GlobalAddress': { label: 'reserved range' },
  'gcp:servicenetworking/connection:Connection': { label: 'private services access' },
  'gcp:container/cluster:Cluster': { label: 'GKE control plane' },
  'gcp:container/nodePool:NodePool': { label: 'node pool' },
  'gcp:serviceaccount/account:Account': { label: 'service account' },
  'gcp:sql/databaseInstance:DatabaseInstance': { label: 'Cloud SQL Postgres', store: true },
  'gcp:sql/database:Database': { label: 'database', store: true },
  'gcp:sql/user:User': { label: 'database user' },
  'gcp:secretmanager/secret:Secret': { label: 'secret', store: true },
  'gcp:redis/instance:Instance': { label: 'Memorystore Redis', store: true },
  'gcp:storage/bucket:Bucket': { label: 'Cloud Storage bucket', store: true },
  'gcp:kms/cryptoKey:CryptoKey': { label: 'Cloud KMS key' },
  'gcp:binaryauthorization/policy:Policy': { label: 'Binary Authorization policy' },

  'apps/v1/Deployment': { label: 'Deployment', each: true },
  'apps/v1/StatefulSet': { label: 'StatefulSet', each: true, store: true },
  'batch/v1/Job': { label: 'Job', each: true },
  'v1/Service': { label: 'Service', each: true },
  'networking.k8s.io/v1/Ingress': { label: 'Ingress', each: true },
  'gateway.networking.k8s.io/v1/Gateway': { label: 'Gateway', each: true },
  'gateway.networking.k8s.io/v1/HTTPRoute': { label: 'HTTPRoute', each: true },
  'v1/ConfigMap': { label: 'ConfigMap', each: true },
  'v1/Secret': { label: 'Secret', each: true },
  'autoscaling/v2/HorizontalPodAutoscaler': { label: 'HorizontalPodAutoscaler' },

  'kit/Module': { label: 'kit folder', each: true },
  'kit/TestFile': { label: 'test file' },
};

interface Box {
  readonly key: string;
  readonly label: string;
  readonly group: string;
  readonly store: boolean;
  count: number;
}

/** Mermaid flowchart text; identical for identical resources. */
export function toMermaid(resources: readonly LabResource[]): string {
  const byId = new Map(resources.map((r) => [r.id, r]));
  const boxes = new Map<string, Box>();
  const boxOf = new Map<string, Box>();
  for (const r of resources) {
    const shape = SHAPES[r.type];
    if (shape === undefined) continue;
    const label = shape.each ? `${shape.label} ${shortName(r)}` : shape.label;
    const key = `${r.group}|${label}`;
    const box = boxes.get(key) ?? { key, label, group: r.group, store: shape.store ?? false, count: 0 };
    box.count++;
    boxes.set(key, box);
    boxOf.set(r.id, box);
  }

  // Links from each drawn resource to the drawn resources it reaches through undrawn ones.
  const edges = new Set<string>();
  for (const [id, from] of boxOf) {
    const seen = new Set<string>([id]);
    const queue = [...byId.get(id)!.uses];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      const to = boxOf.get(next);
      if (to !== undefined) {
        if (to !== from) edges.add(`${from.key}\u0000${to.key}`);
      } else {
        queue.push(...(byId.get(next)?.uses ?? []));
      }
    }
  }

  const ordered = [...boxes.values()].sort((a, b) => a.key.localeCompare(b.key));
  const ids = new Map(ordered.map((box, i) => [box.key, `n${i + 1}`]));
  const lines = ['flowchart LR'];
  const groups = [...new Set(ordered.map((b) => b.group))];
  groups.forEach((group, g) => {
    lines.push(`  subgraph g${g + 1}["${escape(group)}"]`);
    for (const box of ordered.filter((b) => b.group === group)) {
      const text = escape(box.count > 1 ? `${box.label} ×${box.count}` : box.label);
      lines.push(`    ${ids.get(box.key)}${box.store ? `[("${text}")]` : `["${text}"]`}`);
    }
    lines.push('  end');
  });
  for (const edge of [...edges].sort()) {
    const [from, to] = edge.split('\u0000');
    lines.push(`  ${ids.get(from)} --> ${ids.get(to)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The SVG of a Mermaid text, rendered offline; its web-font import is dropped so it opens without a network. */
export async function toSvg(mermaid: string): Promise<string> {
  const svg = await mermaidRenderer().renderMermaidSVG(mermaid, { font: 'system-ui' });
  return `${String(svg).replace(/^\s*@import url\([^)]*\);\s*$/gm, '')}\n`;
}

type Renderer = typeof import('beautiful-mermaid');

/**
 * beautiful-mermaid ships one ES module behind an `import`-only exports map, which `require`
 * cannot resolve by name; the kit is CommonJS. So: find the package, and require its module by
 * path (Node 20.19 and later load ES modules through require).
 */
function mermaidRenderer(): Renderer {
  const dir = (require.resolve.paths('beautiful-mermaid') ?? []).map((base) => join(base, 'beautiful-mermaid')).find((d) => existsSync(join(d, 'package.json')));
  if (dir === undefined) throw new Error('beautiful-mermaid is not installed: run npm ci');
  const entry: string = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).exports['.'].import;
  try {
    return require(join(dir, entry)); // eslint-disable-line @typescript-eslint/no-require-imports -- by path, see above
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw err;
    throw new Error(`rendering SVG needs Node.js 20.19 or newer (this is ${process.version}), which can require ES modules; the Mermaid text needs nothing more`, { cause: err });
  }
}

const GENERIC_IDS = new Set(['Resource', 'Default', 'Role', 'IAMRole']);

function shortName(r: LabResource): string {
  // CDK construct paths end in generic ids (`Role/Resource`); the construct above them names it.
  const parts = r.name.split('/');
  while (parts.length > 1 && GENERIC_IDS.has(parts[parts.length - 1])) parts.pop();
  return parts[parts.length - 1];
}

function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}
