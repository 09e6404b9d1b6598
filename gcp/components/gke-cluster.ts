import * as gcp from '../provider';
import * as pulumi from '@pulumi/pulumi';
import type { GkeSettings } from '../config';
import { ImageAdmissionPolicy } from './image-admission-policy';
import { ADDRESS_PLAN, LabNetwork } from './lab-network';
import { SecretsEncryptionKey } from './secrets-encryption-key';

/**
 * What nodes need and nothing more: Google's documented minimum for a node service account
 * (`container.defaultNodeServiceAccount`: logs, metrics, and the autoscaling metrics the older
 * logWriter/metricWriter/viewer set lacks, for which GKE reports the cluster degraded), and pulling
 * the learner's images from Artifact Registry.
 */
export const NODE_ROLES = ['roles/container.defaultNodeServiceAccount', 'roles/artifactregistry.reader'] as const;

export interface GkeClusterArgs {
  readonly project: string;
  /** The cluster's name in GCP, also the stem of its node service account. */
  readonly clusterName: string;
  /** The cluster's region (its location, or the region of its zone): where its KMS key and images live. */
  readonly region: string;
  readonly network: LabNetwork;
  readonly settings: GkeSettings;
  readonly deletionProtection: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * A hardened GKE Standard cluster (CIS GKE): private nodes, control plane reachable
 * only from the authorized networks, Workload Identity, Dataplane V2, shielded COS
 * nodes in one separately managed, autoscaled node pool that runs as a dedicated
 * least-privilege service account; only admitted images run (Binary Authorization), and in prod
 * Kubernetes Secrets are encrypted with the lab's own KMS key.
 */
export class GkeCluster extends pulumi.ComponentResource {
  readonly cluster: gcp.container.Cluster;
  readonly nodePool: gcp.container.NodePool;
  readonly nodeServiceAccount: gcp.serviceaccount.Account;
  /** `<project>.svc.id.goog`, the identity namespace Kubernetes service accounts map into. */
  readonly workloadPool: pulumi.Output<string>;
  /** A kubeconfig that authenticates through `gke-gcloud-auth-plugin`; secret. */
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:GkeCluster', name, {}, opts);
    const { settings } = args;

    this.nodeServiceAccount = new gcp.serviceaccount.Account(
      `${name}-node-sa`,
      {
        project: args.project,
        accountId: `${args.clusterName}-nodes`,
        displayName: `GKE nodes of ${args.clusterName}`,
        description: 'Least-privilege identity of the GKE nodes (instead of the Compute Engine default account).',
      },
      { parent: this },
    );
    const nodeRoles = NODE_ROLES.map(
      (role) =>
        new gcp.projects.IAMMember(
          `${name}-node-sa-${role.replace('roles/', '').replace('.', '-')}`,
          { project: args.project, role, member: this.nodeServiceAccount.member },
          { parent: this },
        ),
    );
    const nodeConfig = hardenedNodeConfig(this.nodeServiceAccount.email);
    const admission = new ImageAdmissionPolicy(
      `${name}-image-admission`,
      { project: args.project, region: args.region, enforcement: settings.imageAdmission },
      { parent: this },
    );
    const secretsKey = settings.secretsEncryptionKey
      ? new SecretsEncryptionKey(
          `${name}-secrets`,
          { project: args.project, region: args.region, deletionProtection: args.deletionProtection, labels: args.labels },
          { parent: this },
        )
      : undefined;

    this.cluster = new gcp.container.Cluster(
      `${name}-control-plane`,
      {
        project: args.project,
        name: args.clusterName,
        location: settings.location,
        network: args.network.vpc.id,
        subnetwork: args.network.subnet.id,
        // GKE always creates a default pool; it is deleted right away in favour of the managed pool below.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        // Even the short-lived default pool runs as the dedicated account, never the default compute account.
        nodeConfig,
        networkingMode: 'VPC_NATIVE',
        ipAllocationPolicy: {
          clusterSecondaryRangeName: ADDRESS_PLAN.pods.rangeName,
          servicesSecondaryRangeName: ADDRESS_PLAN.services.rangeName,
        },
        privateClusterConfig: {
          enablePrivateNodes: true,
          // The public endpoint stays, locked to the authorized networks, so learners can use kubectl.
          enablePrivateEndpoint: false,
          masterIpv4CidrBlock: ADDRESS_PLAN.controlPlane,
        },
        masterAuthorizedNetworksConfig: {
          cidrBlocks: settings.authorizedNetworks.map((cidrBlock) => ({ cidrBlock, displayName: `authorized ${cidrBlock}` })),
          gcpPublicCidrsAccessEnabled: false,
        },
        // Google's recommended way in: a DNS name that checks IAM on every request, so kubectl works
        // from a changing address; the IP endpoint above stays, for the authorized networks only.
        controlPlaneEndpointsConfig: { dnsEndpointConfig: { allowExternalTraffic: true } },
        // GKE's own Gateway API controller (GatewayClass gke-l7-global-external-managed): what the k8s charts use here.
        gatewayApiConfig: { channel: 'CHANNEL_STANDARD' },
        // Pods start only from images the project's Binary Authorization policy admits.
        binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
        ...(secretsKey ? { databaseEncryption: { state: 'ENCRYPTED', keyName: secretsKey.cryptoKey.id } } : {}),
        workloadIdentityConfig: { workloadPool: `${args.project}.svc.id.goog` },
        releaseChannel: { channel: settings.releaseChannel },
        enableShieldedNodes: true,
        // Dataplane V2 enforces NetworkPolicy itself; the legacy Calico `networkPolicy` block must stay unset.
        datapathProvider: 'ADVANCED_DATAPATH',
        // Pod-to-pod traffic on one node goes through the VPC too, so the subnet's flow logs see it.
        enableIntranodeVisibility: true,
        enableLegacyAbac: false,
        masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
        loggingConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS'] },
        monitoringConfig: { enableComponents: ['SYSTEM_COMPONENTS'], managedPrometheus: { enabled: true } },
        maintenancePolicy: { dailyMaintenanceWindow: { startTime: '03:00' } },
        deletionProtection: args.deletionProtection,
        resourceLabels: { ...args.labels },
      },
      {
        parent: this,
        dependsOn: [...nodeRoles, admission, ...(secretsKey ? [secretsKey.serviceAgentAccess] : [])],
        // After the default pool is removed GKE reports no node config; without this every
        // `pulumi up` would plan to replace the cluster.
        ignoreChanges: ['nodeConfig'],
        // The fixed, readable name (kubectl context, gcloud commands) means a replacement must delete first.
        deleteBeforeReplace: true,
      },
    );

    this.nodePool = new gcp.container.NodePool(
      `${name}-node-pool`,
      {
        project: args.project,
        cluster: this.cluster.id,
        location: this.cluster.location,
        initialNodeCount: Math.max(1, settings.nodeMinCount),
        autoscaling: {
          minNodeCount: settings.nodeMinCount,
          maxNodeCount: settings.nodeMaxCount,
          // ANY lets the autoscaler pick where spot capacity is, lowering preemptions.
          locationPolicy: settings.spot ? 'ANY' : 'BALANCED',
        },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          ...nodeConfig,
          machineType: settings.machineType,
          spot: settings.spot,
          diskType: 'pd-balanced',
          diskSizeGb: settings.diskSizeGb,
          resourceLabels: { ...args.labels },
        },
      },
      // The initial size only matters at creation; changing nodeMinCount later must not replace the pool.
      { parent: this, ignoreChanges: ['initialNodeCount'] },
    );

    this.workloadPool = this.cluster.workloadIdentityConfig.apply((config) => config?.workloadPool ?? '');
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([this.cluster.name, this.cluster.location, this.cluster.endpoint, this.cluster.masterAuth])
        .apply(([clusterName, location, endpoint, auth]) =>
          kubeconfig({
            context: `gke_${args.project}_${location}_${clusterName}`,
            endpoint,
            caCertificate: auth.clusterCaCertificate ?? '',
          }),
        ),
    );
    this.registerOutputs({ clusterName: this.cluster.name, endpoint: this.cluster.endpoint });
  }
}

/** Node settings shared by the transient default pool and the managed pool (CIS GKE 5.2.1, 5.4, 5.5). */
function hardenedNodeConfig(serviceAccount: pulumi.Output<string>) {
  return {
    serviceAccount,
    // Access is governed by the service account's IAM roles; the broad scope only avoids a second, coarser filter.
    oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
    imageType: 'COS_CONTAINERD',
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    workloadMetadataConfig: { mode: 'GKE_METADATA' },
    metadata: { 'disable-legacy-endpoints': 'true' },
  };
}

export interface KubeconfigArgs {
  readonly context: string;
  readonly endpoint: string;
  /** Base64-encoded PEM, as GKE reports it. */
  readonly caCertificate: string;
}

/** The kubeconfig `gcloud container clusters get-credentials` would write. */
export function kubeconfig({ context, endpoint, caCertificate }: KubeconfigArgs): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${caCertificate}`,
    `    server: https://${endpoint}`,
    `  name: ${context}`,
    'contexts:',
    '- context:',
    `    cluster: ${context}`,
    `    user: ${context}`,
    `  name: ${context}`,
    `current-context: ${context}`,
    'preferences: {}',
    'users:',
    `- name: ${context}`,
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1beta1',
    '      command: gke-gcloud-auth-plugin',
    '      installHint: Install gke-gcloud-auth-plugin for kubectl, see https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin',
    '      provideClusterInfo: true',
    '',
  ].join('\n');
}
