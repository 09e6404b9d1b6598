import * as pulumi from '@pulumi/pulumi';
import { GkeCluster } from '../components/gke-cluster';
import { LabNetwork } from '../components/lab-network';
import { ProjectServices } from '../components/project-services';
import type { LabArgs, LabOutputs } from './lab';

export const GKE_APIS = [
  'compute.googleapis.com',
  'container.googleapis.com',
  'iam.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'binaryauthorization.googleapis.com',
  // Application-layer secrets encryption (prod); enabling the API is free.
  'cloudkms.googleapis.com',
] as const;

/** The GKE lab: a hardened private cluster on its own network. */
export class GkeLab extends pulumi.ComponentResource {
  readonly cluster: GkeCluster;
  readonly outputs: LabOutputs;

  constructor(name: string, { config }: LabArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:GkeLab', name, {}, opts);
    const apis = new ProjectServices(`${name}-apis`, { project: config.project, apis: GKE_APIS }, { parent: this });
    const afterApis = { parent: this, dependsOn: [apis] };
    const network = new LabNetwork(`${name}-network`, { region: config.region, egressNat: true }, afterApis);
    this.cluster = new GkeCluster(
      `${name}-cluster`,
      {
        project: config.project,
        clusterName: config.namePrefix,
        region: config.region,
        network,
        settings: config.gke,
        deletionProtection: config.deletionProtection,
        labels: config.labels,
      },
      afterApis,
    );
    this.outputs = { ...clusterOutputs(this.cluster), networkName: network.vpc.name };
    this.registerOutputs(this.outputs);
  }
}

/** What a learner needs to reach the cluster: its name, location, endpoint and a kubeconfig. */
export function clusterOutputs(cluster: GkeCluster): LabOutputs {
  return {
    clusterName: cluster.cluster.name,
    clusterLocation: cluster.cluster.location,
    clusterEndpoint: cluster.cluster.endpoint,
    nodeServiceAccount: cluster.nodeServiceAccount.email,
    kubeconfig: cluster.kubeconfig,
  };
}
