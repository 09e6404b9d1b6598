import { contains, parseIpv4Cidr } from '../../common/cidr';
import { networkNoOpenIngress, TYPES } from '../../gcp/policies';
import { type Exercise, resourcesOf } from '../cli/lab';
import type { LabResource } from '../cli/resources';

/** The documentation range (RFC 5737) the example stack file ships with as its authorized network. */
const STARTER_RANGE = '203.0.113.0/24';
const STARTER_BLOCK = parseIpv4Cidr(STARTER_RANGE)!;
/** Where Identity-Aware Proxy's TCP forwarding connects from. */
const IAP_RANGE = '35.235.240.0/20';

export const exercises: readonly Exercise[] = [
  {
    number: 1,
    title: 'Let only your address reach the control plane',
    check(input) {
      const clusters = resourcesOf(input, TYPES.cluster);
      if (clusters.length === 0) return ['the plan has no GKE cluster: undo what removed it from gcp/labs/gke.ts'];
      const problems: string[] = [];
      for (const cluster of clusters) {
        const config = cluster.props.masterAuthorizedNetworksConfig ?? {};
        const blocks: string[] = (config.cidrBlocks ?? []).map((block: { cidrBlock?: unknown }) => String(block.cidrBlock));
        if (blocks.length === 0) {
          problems.push(`${cluster.name} has no authorized network: put your address as <your-ip>/32 under iac-lab-kit:authorizedNetworks in Pulumi.gke-dev.yaml`);
        }
        for (const cidr of blocks) {
          const block = parseIpv4Cidr(cidr);
          if (block === undefined) problems.push(`${cidr} is not an IPv4 CIDR block: write your address as <your-ip>/32`);
          else if (contains(STARTER_BLOCK, block)) {
            const where = cidr === STARTER_RANGE ? 'is' : `lies in ${STARTER_RANGE},`;
            problems.push(`${cidr} ${where} the documentation range the example stack ships with, not your address: replace it with the address curl -4 -s https://ifconfig.me prints, as a /32`);
          } else if (block.prefix !== 32) {
            problems.push(`${cidr} lets ${2 ** (32 - block.prefix)} addresses reach the control plane: authorize your own address alone, as a /32`);
          }
        }
        if (config.gcpPublicCidrsAccessEnabled === true) {
          problems.push(`${cluster.name} sets gcpPublicCidrsAccessEnabled: every Google Cloud address can reach the control plane; set it back to false`);
        }
      }
      return problems;
    },
  },
  {
    number: 2,
    title: 'Let the node pool scale to zero',
    check(input) {
      const pools = resourcesOf(input, TYPES.nodePool);
      if (pools.length === 0) return ['the plan has no node pool: undo what removed it from gcp/components/gke-cluster.ts'];
      return pools.flatMap((pool) => {
        const autoscaling = pool.props.autoscaling;
        if (autoscaling === undefined) return [`${pool.name} has no autoscaling block: keep the autoscaler and change its bounds`];
        // Per zone or in total: the same for dev's zonal pool.
        const min = autoscaling.minNodeCount ?? autoscaling.totalMinNodeCount;
        const max = autoscaling.maxNodeCount ?? autoscaling.totalMaxNodeCount;
        const problems: string[] = [];
        if (min !== 0) problems.push(`${pool.name} keeps at least ${String(min)} node(s): set nodeMinCount to 0 in Pulumi.gke-dev.yaml`);
        if (max !== 5) problems.push(`${pool.name} grows to at most ${String(max)} node(s): set nodeMaxCount to 5 in Pulumi.gke-dev.yaml`);
        return problems;
      });
    },
  },
  {
    number: 3,
    title: 'SSH to nodes only through Identity-Aware Proxy',
    check(input) {
      const firewalls = resourcesOf(input, TYPES.firewall);
      const vpcs = new Set(resourcesOf(input, TYPES.network).map((vpc) => vpc.id));
      const sshRules = firewalls.filter(letsSshIn);
      if (sshRules.length === 0) {
        return [
          `no firewall rule lets SSH (TCP 22) in yet: add a gcp.compute.Firewall to LabNetwork (gcp/components/lab-network.ts) that allows tcp:22 from ${IAP_RANGE}`,
        ];
      }
      const problems = sshRules.flatMap((rule) => {
        const found: string[] = [];
        if (!rule.uses.some((id) => vpcs.has(id))) found.push(`${rule.name} is not on the lab's VPC: set its network to the LabNetwork's vpc.id`);
        const sources = sourcesOf(rule);
        if (sources.length === 0 || sources.some((source) => source !== IAP_RANGE)) {
          found.push(`${rule.name} lets SSH in from ${sources.join(', ') || 'anywhere (it names no source)'}: allow only IAP's range ${IAP_RANGE}`);
        }
        const allows: { protocol?: string; ports?: string[] }[] = rule.props.allows ?? [];
        if (!allows.every((allow) => allow.protocol === 'tcp' && (allow.ports ?? []).length > 0 && allow.ports!.every((port) => port === '22'))) {
          found.push(`${rule.name} allows more than TCP port 22 (${allows.map(describeAllow).join(', ')}): SSH through IAP needs only tcp:22`);
        }
        return found;
      });
      const policy = networkNoOpenIngress(firewalls.map((f) => ({ type: f.type, name: f.name, inputs: f.props, dependencies: [...f.uses] })));
      for (const verdict of policy.filter((v) => !v.pass)) problems.push(`policy network-no-open-ingress (CIS GCP 3.6) fails on ${verdict.resource}: ${verdict.message}`);
      return problems;
    },
  },
];

/** An enabled ingress allow rule that opens TCP port 22 (a rule without ports opens every port). */
function letsSshIn(rule: LabResource): boolean {
  const { props } = rule;
  if ((props.direction ?? 'INGRESS') !== 'INGRESS' || props.disabled === true) return false;
  return ((props.allows ?? []) as { protocol?: string; ports?: string[] }[]).some(
    (allow) => ['tcp', '6', 'all'].includes(String(allow.protocol)) && ((allow.ports ?? []).length === 0 || allow.ports!.some(coversPort22)),
  );
}

function coversPort22(port: string): boolean {
  const [low, high = low] = port.split('-').map(Number);
  return low <= 22 && 22 <= high;
}

function sourcesOf(rule: LabResource): string[] {
  return ['sourceRanges', 'sourceTags', 'sourceServiceAccounts'].flatMap((key) => (rule.props[key] ?? []) as string[]);
}

function describeAllow(allow: { protocol?: string; ports?: string[] }): string {
  return allow.ports?.length ? `${String(allow.protocol)}:${allow.ports.join(',')}` : `${String(allow.protocol)}, every port`;
}
