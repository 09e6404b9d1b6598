import * as gcp from '../provider';
import * as pulumi from '@pulumi/pulumi';
import { ADDRESS_PLAN } from './lab-network';

export interface PrivateServiceAccessArgs {
  readonly vpc: gcp.compute.Network;
}

/**
 * Private services access: a reserved range of the VPC peered with Google's service
 * producers, where Cloud SQL and Memorystore instances get their private IPs.
 */
export class PrivateServiceAccess extends pulumi.ComponentResource {
  readonly range: gcp.compute.GlobalAddress;
  readonly connection: gcp.servicenetworking.Connection;

  constructor(name: string, args: PrivateServiceAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:PrivateServiceAccess', name, {}, opts);
    this.range = new gcp.compute.GlobalAddress(
      `${name}-range`,
      {
        network: args.vpc.id,
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        address: ADDRESS_PLAN.privateServices.address,
        prefixLength: ADDRESS_PLAN.privateServices.prefixLength,
      },
      { parent: this },
    );
    this.connection = new gcp.servicenetworking.Connection(
      `${name}-connection`,
      {
        network: args.vpc.id,
        service: 'servicenetworking.googleapis.com',
        reservedPeeringRanges: [this.range.name],
        // Cloud SQL keeps using the peering for a while after its instance is deleted, so deleting the
        // connection fails and would stop `pulumi destroy`. The lab guides show how to remove the
        // leftover peering (`gcloud compute networks peerings delete`).
        deletionPolicy: 'ABANDON',
      },
      { parent: this },
    );
    this.registerOutputs({ range: this.range.name });
  }
}
