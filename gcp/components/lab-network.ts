import * as gcp from '../provider';
import * as pulumi from '@pulumi/pulumi';

/** The address plan every lab shares; no range overlaps another. */
export const ADDRESS_PLAN = {
  nodes: '10.10.0.0/20',
  pods: { rangeName: 'pods', cidr: '10.20.0.0/14' },
  services: { rangeName: 'services', cidr: '10.24.0.0/20' },
  /** The GKE control plane's private endpoint: must be a /28 used nowhere else. */
  controlPlane: '172.16.0.0/28',
  /** Private services access: where Cloud SQL and Memorystore get their private IPs. */
  privateServices: { address: '10.100.0.0', prefixLength: 16 },
} as const;

export interface LabNetworkArgs {
  readonly region: string;
  /** Cloud Router + Cloud NAT, so nodes without public IPs can pull images. */
  readonly egressNat: boolean;
}

/**
 * A custom-mode VPC with one subnet (secondary ranges for GKE pods and services,
 * Private Google Access, flow logs) and, when nodes need egress, Cloud NAT.
 * It adds no firewall rule: ingress stays denied by default.
 */
export class LabNetwork extends pulumi.ComponentResource {
  readonly vpc: gcp.compute.Network;
  readonly subnet: gcp.compute.Subnetwork;

  constructor(name: string, args: LabNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:LabNetwork', name, {}, opts);
    const parent = { parent: this };

    this.vpc = new gcp.compute.Network(
      `${name}-vpc`,
      { autoCreateSubnetworks: false, routingMode: 'REGIONAL', description: 'iac-lab-kit lab network' },
      parent,
    );
    this.subnet = new gcp.compute.Subnetwork(
      `${name}-subnet`,
      {
        network: this.vpc.id,
        region: args.region,
        ipCidrRange: ADDRESS_PLAN.nodes,
        secondaryIpRanges: [
          { rangeName: ADDRESS_PLAN.pods.rangeName, ipCidrRange: ADDRESS_PLAN.pods.cidr },
          { rangeName: ADDRESS_PLAN.services.rangeName, ipCidrRange: ADDRESS_PLAN.services.cidr },
        ],
        privateIpGoogleAccess: true,
        // Flow logs (CIS GCP 3.8), half of the flows sampled: for a lab's traffic that costs cents at most.
        logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
      },
      parent,
    );

    if (args.egressNat) {
      const router = new gcp.compute.Router(`${name}-router`, { network: this.vpc.id, region: args.region }, parent);
      new gcp.compute.RouterNat(
        `${name}-nat`,
        {
          router: router.name,
          region: args.region,
          natIpAllocateOption: 'AUTO_ONLY',
          sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
          subnetworks: [{ name: this.subnet.id, sourceIpRangesToNats: ['ALL_IP_RANGES'] }],
          logConfig: { enable: true, filter: 'ERRORS_ONLY' },
        },
        parent,
      );
    }

    this.registerOutputs({ vpc: this.vpc.name, subnet: this.subnet.name });
  }
}
