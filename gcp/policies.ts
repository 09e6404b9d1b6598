/**
 * Security and safety policies over an offline plan: one plain function per check,
 * tagged with its CIS id where the benchmark has one (CIS Google Kubernetes Engine
 * Benchmark 1.9, CIS Google Cloud Platform Foundation Benchmark 3.0).
 *
 * Each check judges the effective setting: the planned input, or the provider's
 * default when the input is unset (noted where a default decides the verdict).
 */
import { coversWholeInternet } from '../common/cidr';
import type { Profile } from './config';
import type { PlannedResource } from './offline/plan-model';

export interface PolicyContext {
  readonly profile: Profile;
}

/** One policy's verdict on one resource. */
export interface ResourceVerdict {
  readonly resource: string;
  readonly pass: boolean;
  readonly message: string;
}

export type PolicyCheck = (resources: readonly PlannedResource[], context: PolicyContext) => ResourceVerdict[];

export interface Policy {
  readonly id: string;
  readonly cisId?: string;
  readonly title: string;
  readonly check: PolicyCheck;
}

export interface PolicyFinding extends ResourceVerdict {
  readonly policyId: string;
  readonly cisId?: string;
}

export const TYPES = {
  cluster: 'gcp:container/cluster:Cluster',
  nodePool: 'gcp:container/nodePool:NodePool',
  sqlInstance: 'gcp:sql/databaseInstance:DatabaseInstance',
  network: 'gcp:compute/network:Network',
  subnet: 'gcp:compute/subnetwork:Subnetwork',
  firewall: 'gcp:compute/firewall:Firewall',
  redis: 'gcp:redis/instance:Instance',
  secret: 'gcp:secretmanager/secret:Secret',
  peering: 'gcp:servicenetworking/connection:Connection',
  sqlDatabase: 'gcp:sql/database:Database',
  sqlUser: 'gcp:sql/user:User',
  imageAdmissionPolicy: 'gcp:binaryauthorization/policy:Policy',
  cryptoKey: 'gcp:kms/cryptoKey:CryptoKey',
} as const;

/**
 * What `pulumi destroy` leaves in place on purpose (a resource with `deletionPolicy: ABANDON`), with why
 * and the command that removes it; the lab guides' teardown sections repeat both.
 */
export const KNOWN_LEFTOVERS: Readonly<Record<string, { readonly what: string; readonly remove: string }>> = {
  [TYPES.peering]: {
    what:
      'the VPC peering servicenetworking-googleapis-com (Cloud SQL keeps using it for a while after its instance is deleted, so deleting it in the same run fails), and so the network it belongs to',
    remove: 'gcloud compute networks peerings delete servicenetworking-googleapis-com --network=<network> --quiet, then pulumi destroy again',
  },
};

type Inputs = Record<string, unknown>;
/** Returns why the resource fails, or undefined when it passes. */
type Rule = (inputs: Inputs) => string | undefined;

/** Applies `rule` to every planned resource of `type`. */
function judge(resources: readonly PlannedResource[], type: string, passMessage: string, rule: Rule): ResourceVerdict[] {
  return resources
    .filter((r) => r.type === type)
    .map((r) => {
      const failure = rule(r.inputs);
      return { resource: r.name, pass: failure === undefined, message: failure ?? passMessage };
    });
}

/** Reads a nested input, e.g. `at(inputs, 'settings.ipConfiguration.sslMode')`. */
function at(inputs: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Inputs)[key] : undefined), inputs);
}

/** Node configs of a plan: every node pool's, and a cluster's own (it shapes the default pool). */
function nodeConfigs(resources: readonly PlannedResource[]): { resource: string; config: unknown }[] {
  return resources
    .filter((r) => r.type === TYPES.nodePool || (r.type === TYPES.cluster && (r.inputs.nodeConfig !== undefined || r.inputs.removeDefaultNodePool !== true)))
    .map((r) => ({ resource: r.name, config: r.inputs.nodeConfig }));
}

function judgeNodes(resources: readonly PlannedResource[], passMessage: string, rule: (config: unknown) => string | undefined): ResourceVerdict[] {
  return nodeConfigs(resources).map(({ resource, config }) => {
    const failure = rule(config);
    return { resource, pass: failure === undefined, message: failure ?? passMessage };
  });
}

const isOpenCidr = (cidr: unknown) => typeof cidr === 'string' && cidr.endsWith('/0');

// ---- GKE -------------------------------------------------------------------------------

/** CIS GKE 5.6.5: nodes get only private IPs; the control plane's private range is a /28. */
export function gkePrivateNodes(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'nodes have private IPs only', (inputs) => {
    if (at(inputs, 'privateClusterConfig.enablePrivateNodes') !== true) return 'privateClusterConfig.enablePrivateNodes is not true: nodes get public IPs';
    const cidr = at(inputs, 'privateClusterConfig.masterIpv4CidrBlock');
    return typeof cidr === 'string' && cidr.endsWith('/28') ? undefined : `masterIpv4CidrBlock must be a /28, got ${String(cidr)}`;
  });
}

/** CIS GKE 5.6.3: the control plane answers only the authorized networks, never 0.0.0.0/0 nor all of Google Cloud. */
export function gkeAuthorizedNetworks(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'control plane restricted to authorized networks', (inputs) => {
    const config = at(inputs, 'masterAuthorizedNetworksConfig');
    if (config === undefined) return 'masterAuthorizedNetworksConfig is not set: the endpoint is open to every address';
    const blocks = (at(config, 'cidrBlocks') ?? []) as { cidrBlock?: string }[];
    const open = blocks.find((b) => isOpenCidr(b.cidrBlock));
    if (open) return `authorized network ${String(open.cidrBlock)} opens the control plane to the internet`;
    if (coversWholeInternet(blocks.map((b) => b.cidrBlock))) return 'the authorized networks together admit every address, as 0.0.0.0/0 would';
    return at(config, 'gcpPublicCidrsAccessEnabled') === true ? 'gcpPublicCidrsAccessEnabled lets every Google Cloud IP reach the control plane' : undefined;
  });
}

/** CIS GKE 5.6.2: VPC-native (alias IP) networking. */
export function gkeVpcNative(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'VPC-native', (inputs) =>
    inputs.networkingMode === 'VPC_NATIVE' && inputs.ipAllocationPolicy !== undefined ? undefined : 'not VPC-native: set networkingMode VPC_NATIVE and an ipAllocationPolicy',
  );
}

/** CIS GKE 5.2.2: Workload Identity, with the project's `<project>.svc.id.goog` pool. */
export function gkeWorkloadIdentity(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'Workload Identity enabled', (inputs) => {
    const pool = at(inputs, 'workloadIdentityConfig.workloadPool');
    return typeof pool === 'string' && /^[a-z][a-z0-9-]{4,28}[a-z0-9]\.svc\.id\.goog$/.test(pool) ? undefined : `workloadPool must be <project>.svc.id.goog, got ${String(pool)}`;
  });
}

/** CIS GKE 5.5.5: Shielded GKE nodes. */
export function gkeShieldedNodes(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'shielded nodes enabled', (inputs) =>
    inputs.enableShieldedNodes === false ? 'enableShieldedNodes is false' : undefined,
  );
}

/** CIS GKE 5.5.4: versions managed through a release channel. */
export function gkeReleaseChannel(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'enrolled in a release channel', (inputs) => {
    const channel = at(inputs, 'releaseChannel.channel');
    return ['RAPID', 'REGULAR', 'STABLE', 'EXTENDED'].includes(String(channel)) ? undefined : `release channel is ${String(channel)}`;
  });
}

/** CIS GKE 5.6.7: NetworkPolicy enforced (built into Dataplane V2, or the legacy Calico add-on). */
export function gkeNetworkPolicy(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'NetworkPolicy enforced', (inputs) =>
    inputs.datapathProvider === 'ADVANCED_DATAPATH' || at(inputs, 'networkPolicy.enabled') === true
      ? undefined
      : 'no NetworkPolicy enforcement: use datapathProvider ADVANCED_DATAPATH (Dataplane V2)',
  );
}

/** CIS GKE 5.6.1: intranode visibility, so traffic between pods of one node reaches the VPC flow logs. */
export function gkeIntranodeVisibility(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'intranode visibility on', (inputs) =>
    inputs.enableIntranodeVisibility === true ? undefined : 'intranode visibility is off: pod-to-pod traffic on one node escapes the VPC flow logs',
  );
}

/**
 * CIS GKE 5.10.4: Binary Authorization. The cluster enforces the project's policy, and that policy (in
 * this stack) admits by allowlist, not everything; prod blocks what it denies, dev may only audit.
 */
export function gkeBinaryAuthorization(resources: readonly PlannedResource[], { profile }: PolicyContext): ResourceVerdict[] {
  const policies = resources.filter((r) => r.type === TYPES.imageAdmissionPolicy);
  const policyFailure = (): string | undefined => {
    if (policies.length === 0) return 'no Binary Authorization policy in this stack: the project default admits every image';
    const rule = policies[0].inputs.defaultAdmissionRule;
    if (at(rule, 'evaluationMode') === 'ALWAYS_ALLOW') return 'the Binary Authorization policy admits every image (defaultAdmissionRule ALWAYS_ALLOW)';
    if (profile === 'prod' && at(rule, 'enforcementMode') !== 'ENFORCED_BLOCK_AND_AUDIT_LOG') {
      return `prod only audits the Binary Authorization policy (enforcementMode ${String(at(rule, 'enforcementMode'))}): set ENFORCED_BLOCK_AND_AUDIT_LOG`;
    }
    return undefined;
  };
  return judge(resources, TYPES.cluster, `only admitted images run (${profile === 'prod' ? 'enforced' : 'dev: denials audited'})`, (inputs) =>
    at(inputs, 'binaryAuthorization.evaluationMode') === 'PROJECT_SINGLETON_POLICY_ENFORCE'
      ? policyFailure()
      : 'Binary Authorization is off: set binaryAuthorization.evaluationMode PROJECT_SINGLETON_POLICY_ENFORCE',
  );
}

/** CIS GKE 5.3.1: prod encrypts Kubernetes Secrets in etcd with a Cloud KMS key of its own (dev: Google's default encryption). */
export function gkeSecretsEncryption(resources: readonly PlannedResource[], { profile }: PolicyContext): ResourceVerdict[] {
  if (profile !== 'prod') return [];
  return judge(resources, TYPES.cluster, 'Secrets encrypted with a Cloud KMS key', (inputs) =>
    at(inputs, 'databaseEncryption.state') === 'ENCRYPTED' && typeof at(inputs, 'databaseEncryption.keyName') === 'string'
      ? undefined
      : 'Kubernetes Secrets are not encrypted with a Cloud KMS key: set databaseEncryption { state: ENCRYPTED, keyName }',
  );
}

/** Google's recommended control-plane access: the DNS endpoint, authorized by IAM (the IP endpoint keeps its authorized networks). No CIS id. */
export function gkeDnsEndpoint(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'DNS-based control-plane endpoint on', (inputs) =>
    at(inputs, 'controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic') === true
      ? undefined
      : 'the DNS-based control-plane endpoint is off: set controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic true',
  );
}

/** CIS GKE 5.8.3: legacy ABAC off (unset means off). */
export function gkeLegacyAbacDisabled(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'legacy ABAC disabled', (inputs) => (inputs.enableLegacyAbac === true ? 'enableLegacyAbac is true' : undefined));
}

/** CIS GKE 5.8.1: no client certificate (unset means none for current GKE versions). */
export function gkeClientCertificateDisabled(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'client certificate disabled', (inputs) =>
    at(inputs, 'masterAuth.clientCertificateConfig.issueClientCertificate') === true ? 'issueClientCertificate is true' : undefined,
  );
}

/** CIS GKE 5.7.1: Cloud Logging and Cloud Monitoring on. */
export function gkeLoggingMonitoring(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cluster, 'logging and monitoring enabled', (inputs) => {
    if (inputs.loggingService === 'none' || inputs.monitoringService === 'none') return 'logging or monitoring service is none';
    const logs = at(inputs, 'loggingConfig.enableComponents') as unknown[] | undefined;
    return logs !== undefined && logs.length === 0 ? 'loggingConfig enables no component' : undefined;
  });
}

/** CIS GKE 5.2.1: nodes never run as the Compute Engine default service account. */
export function gkeNodeServiceAccount(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judgeNodes(resources, 'dedicated node service account', (config) => {
    const account = at(config, 'serviceAccount');
    if (typeof account !== 'string' || account === 'default') return 'no serviceAccount: nodes would run as the Compute Engine default account';
    return account.endsWith('-compute@developer.gserviceaccount.com') ? `nodes run as the Compute Engine default account ${account}` : undefined;
  });
}

/** CIS GKE 5.4.2: the GKE metadata server (Workload Identity) on every node. */
export function gkeMetadataServer(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judgeNodes(resources, 'GKE metadata server enabled', (config) =>
    at(config, 'workloadMetadataConfig.mode') === 'GKE_METADATA' ? undefined : 'workloadMetadataConfig.mode is not GKE_METADATA',
  );
}

/** CIS GKE 5.4.1: legacy metadata endpoints off (unset means off). */
export function gkeLegacyMetadataDisabled(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judgeNodes(resources, 'legacy metadata endpoints disabled', (config) =>
    at(config, 'metadata.disable-legacy-endpoints') === 'false' ? 'disable-legacy-endpoints is false' : undefined,
  );
}

/** CIS GKE 5.5.1: Container-Optimized OS with containerd (the default image when unset). */
export function gkeCosContainerd(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judgeNodes(resources, 'COS_CONTAINERD image', (config) => {
    const image = at(config, 'imageType');
    return image === undefined || String(image).toUpperCase() === 'COS_CONTAINERD' ? undefined : `image type is ${String(image)}`;
  });
}

/** CIS GKE 5.5.7: Secure Boot on shielded nodes (off unless set). */
export function gkeSecureBoot(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judgeNodes(resources, 'secure boot enabled', (config) =>
    at(config, 'shieldedInstanceConfig.enableSecureBoot') === true ? undefined : 'shieldedInstanceConfig.enableSecureBoot is not true',
  );
}

/** CIS GKE 5.5.6: integrity monitoring on shielded nodes (on unless set false). */
export function gkeIntegrityMonitoring(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judgeNodes(resources, 'integrity monitoring enabled', (config) =>
    at(config, 'shieldedInstanceConfig.enableIntegrityMonitoring') === false ? 'enableIntegrityMonitoring is false' : undefined,
  );
}

/** CIS GKE 5.5.2: node auto-repair (on unless set false). */
export function gkeAutoRepair(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.nodePool, 'auto-repair enabled', (inputs) => (at(inputs, 'management.autoRepair') === false ? 'management.autoRepair is false' : undefined));
}

/** CIS GKE 5.5.3: node auto-upgrade (on unless set false). */
export function gkeAutoUpgrade(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.nodePool, 'auto-upgrade enabled', (inputs) => (at(inputs, 'management.autoUpgrade') === false ? 'management.autoUpgrade is false' : undefined));
}

// ---- Cloud SQL -------------------------------------------------------------------------

/** CIS GCP 6.6: no public IP (Cloud SQL assigns one unless ipv4Enabled is false); reachable on the private network. */
export function sqlNoPublicIp(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.sqlInstance, 'private IP only', (inputs) => {
    if (at(inputs, 'settings.ipConfiguration.ipv4Enabled') !== false) return 'ipConfiguration.ipv4Enabled is not false: the instance gets a public IP';
    return at(inputs, 'settings.ipConfiguration.privateNetwork') === undefined ? 'no privateNetwork' : undefined;
  });
}

/** CIS GCP 6.4: every connection encrypted. */
export function sqlSslRequired(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.sqlInstance, 'TLS required', (inputs) => {
    const mode = at(inputs, 'settings.ipConfiguration.sslMode');
    return mode === 'ENCRYPTED_ONLY' || mode === 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED' ? undefined : `sslMode is ${String(mode)}: unencrypted connections allowed`;
  });
}

/** CIS GCP 6.5: no authorized network open to the whole internet. */
export function sqlNoOpenAuthorizedNetworks(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.sqlInstance, 'no 0.0.0.0/0 authorized network', (inputs) => {
    const networks = (at(inputs, 'settings.ipConfiguration.authorizedNetworks') ?? []) as { value?: string }[];
    const open = networks.find((n) => isOpenCidr(n.value));
    if (open) return `authorized network ${String(open.value)} opens the instance to the internet`;
    return coversWholeInternet(networks.map((n) => n.value)) ? 'the authorized networks together admit every address, as 0.0.0.0/0 would' : undefined;
  });
}

/** CIS GCP 6.7: automated backups. */
export function sqlAutomatedBackups(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.sqlInstance, 'automated backups enabled', (inputs) =>
    at(inputs, 'settings.backupConfiguration.enabled') === true ? undefined : 'backupConfiguration.enabled is not true',
  );
}

/** Point-in-time recovery, so a bad migration can be undone to the minute (no CIS id). */
export function sqlPointInTimeRecovery(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.sqlInstance, 'point-in-time recovery enabled', (inputs) =>
    at(inputs, 'settings.backupConfiguration.pointInTimeRecoveryEnabled') === true ? undefined : 'pointInTimeRecoveryEnabled is not true',
  );
}

function postgresFlag(resources: readonly PlannedResource[], flag: string, expected: string): ResourceVerdict[] {
  return judge(
    resources.filter((r) => String(r.inputs.databaseVersion).startsWith('POSTGRES')),
    TYPES.sqlInstance,
    `${flag}=${expected}`,
    (inputs) => {
      const flags = (at(inputs, 'settings.databaseFlags') ?? []) as { name?: string; value?: string }[];
      const value = flags.find((f) => f.name === flag)?.value;
      return value === expected ? undefined : `database flag ${flag} is ${value ?? 'unset'}, expected ${expected}`;
    },
  );
}

/** CIS GCP 6.2.2: log every connection attempt. */
export function sqlLogConnections(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return postgresFlag(resources, 'log_connections', 'on');
}

/** CIS GCP 6.2.3: log the end of every session. */
export function sqlLogDisconnections(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return postgresFlag(resources, 'log_disconnections', 'on');
}

/** CIS GCP 6.2.7: no statement logging by duration (statements can carry personal data). */
export function sqlLogMinDurationStatement(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return postgresFlag(resources, 'log_min_duration_statement', '-1');
}

/** CIS GCP 6.2.4: log_statement set (ddl: schema changes, without the data of every statement). */
export function sqlLogStatement(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return postgresFlag(resources, 'log_statement', 'ddl');
}

/** CIS GCP 6.2.6: statements that cause errors are logged (error or stricter). */
export function sqlLogMinErrorStatement(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return postgresFlag(resources, 'log_min_error_statement', 'error');
}

/** CIS GCP 6.2.8: the pgaudit extension available for database auditing. */
export function sqlPgaudit(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return postgresFlag(resources, 'cloudsql.enable_pgaudit', 'on');
}

// ---- Cloud KMS -------------------------------------------------------------------------

const MAX_ROTATION_SECONDS = 90 * 24 * 60 * 60;

/** CIS GCP 3.0 1.10: every key rotates within 90 days. */
export function kmsKeyRotation(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.cryptoKey, 'rotated at least every 90 days', (inputs) => {
    const period = /^(\d+)s$/.exec(String(inputs.rotationPeriod));
    return period && Number(period[1]) <= MAX_ROTATION_SECONDS ? undefined : `rotationPeriod ${String(inputs.rotationPeriod)}: rotate at least every 90 days (${MAX_ROTATION_SECONDS}s)`;
  });
}

// ---- Network ---------------------------------------------------------------------------

/** CIS GCP 3.6 and 3.7: no firewall rule lets the whole internet in (an allow rule with no source at all does). */
export function networkNoOpenIngress(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.firewall, 'no ingress from 0.0.0.0/0', (inputs) => {
    const allowsIngress = (inputs.direction ?? 'INGRESS') === 'INGRESS' && inputs.disabled !== true && ((inputs.allows ?? []) as unknown[]).length > 0;
    const sources = ['sourceRanges', 'sourceTags', 'sourceServiceAccounts'].flatMap((key) => (inputs[key] ?? []) as unknown[]);
    const open = sources.length === 0 || ((inputs.sourceRanges ?? []) as unknown[]).some(isOpenCidr);
    return allowsIngress && open ? 'allows ingress from 0.0.0.0/0' : undefined;
  });
}

/** CIS GCP 3.8: VPC flow logs on every subnet. */
export function networkFlowLogs(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.subnet, 'flow logs enabled', (inputs) => (inputs.logConfig === undefined ? 'subnet has no logConfig: flow logs off' : undefined));
}

/** Custom-mode VPC: no auto-created subnets in every region (no CIS id; CIS GCP 3.1 targets the default network). */
export function networkCustomMode(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.network, 'custom-mode VPC', (inputs) => (inputs.autoCreateSubnetworks === false ? undefined : 'autoCreateSubnetworks is not false'));
}

/** Private Google Access, so nodes without public IPs reach Google APIs (no CIS id). */
export function networkPrivateGoogleAccess(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.subnet, 'Private Google Access enabled', (inputs) =>
    inputs.privateIpGoogleAccess === true ? undefined : 'privateIpGoogleAccess is not true',
  );
}

// ---- Memorystore -----------------------------------------------------------------------

/** Redis AUTH, so reaching the private IP is not enough to read the cache (no CIS id). */
export function redisAuth(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.redis, 'AUTH enabled', (inputs) => (inputs.authEnabled === true ? undefined : 'authEnabled is not true'));
}

/** TLS between clients and Redis (no CIS id). */
export function redisTransitEncryption(resources: readonly PlannedResource[]): ResourceVerdict[] {
  return judge(resources, TYPES.redis, 'TLS in transit', (inputs) =>
    inputs.transitEncryptionMode === 'SERVER_AUTHENTICATION' ? undefined : `transitEncryptionMode is ${String(inputs.transitEncryptionMode)}`,
  );
}

// ---- Profiles --------------------------------------------------------------------------

/** Every switch that blocks deletion, per resource; `true` means protected. Provider defaults apply when unset. */
function deletionSwitches(resource: PlannedResource): { name: string; protects: boolean }[] {
  const { inputs } = resource;
  switch (resource.type) {
    case TYPES.cluster:
      return [{ name: 'deletionProtection', protects: inputs.deletionProtection !== false }];
    case TYPES.sqlInstance:
      return [
        { name: 'deletionProtection', protects: inputs.deletionProtection !== false },
        { name: 'settings.deletionProtectionEnabled', protects: at(inputs, 'settings.deletionProtectionEnabled') === true },
      ];
    case TYPES.redis:
      return [{ name: 'deletionProtection', protects: inputs.deletionProtection !== false }];
    case TYPES.secret:
      return [{ name: 'deletionProtection', protects: inputs.deletionProtection === true }];
    case TYPES.cryptoKey:
      return [{ name: 'deletionPolicy PREVENT', protects: inputs.deletionPolicy === 'PREVENT' }];
    default:
      return [];
  }
}

/** prod keeps its data: every deletion protection on (both Cloud SQL switches), no CIS id. */
export function prodDeletionProtection(resources: readonly PlannedResource[], { profile }: PolicyContext): ResourceVerdict[] {
  if (profile !== 'prod') return [];
  return resources
    .filter((r) => deletionSwitches(r).length > 0)
    .map((r) => {
      const off = deletionSwitches(r).filter((s) => !s.protects);
      return { resource: r.name, pass: off.length === 0, message: off.length === 0 ? 'deletion protection on' : `not protected: ${off.map((s) => s.name).join(', ')}` };
    });
}

/**
 * dev tears down: no deletion protection may stop `pulumi destroy`, and what it abandons is either
 * deleted anyway (a Cloud SQL database or user goes with its instance) or a known leftover the
 * guide names with its removal command. No CIS id.
 */
export function devDestroyable(resources: readonly PlannedResource[], { profile }: PolicyContext): ResourceVerdict[] {
  if (profile !== 'dev') return [];
  const protectedVerdicts = resources
    .filter((r) => deletionSwitches(r).length > 0)
    .map((r) => {
      const on = deletionSwitches(r).filter((s) => s.protects);
      return { resource: r.name, pass: on.length === 0, message: on.length === 0 ? 'destroyable' : `pulumi destroy would stop on: ${on.map((s) => s.name).join(', ')}` };
    });
  const hasSqlInstance = resources.some((r) => r.type === TYPES.sqlInstance);
  const abandonedVerdicts = resources
    .filter((r) => r.inputs.deletionPolicy === 'ABANDON')
    .map((r) => {
      if ((r.type === TYPES.sqlDatabase || r.type === TYPES.sqlUser) && hasSqlInstance) {
        return { resource: r.name, pass: true, message: 'abandoned by pulumi destroy, and deleted with its Cloud SQL instance' };
      }
      const known = KNOWN_LEFTOVERS[r.type];
      return known === undefined
        ? { resource: r.name, pass: false, message: 'pulumi destroy abandons it (deletionPolicy ABANDON) and nothing removes it: delete it with its parent, or add it to KNOWN_LEFTOVERS with the command that removes it and name it in the guide' }
        : { resource: r.name, pass: true, message: `pulumi destroy leaves ${known.what}; remove with: ${known.remove}` };
    });
  return [...protectedVerdicts, ...abandonedVerdicts];
}

export const POLICIES: readonly Policy[] = [
  { id: 'gke-private-nodes', cisId: 'CIS GKE 1.9 5.6.5', title: 'Private nodes', check: gkePrivateNodes },
  { id: 'gke-authorized-networks', cisId: 'CIS GKE 1.9 5.6.3', title: 'Control plane authorized networks, no 0.0.0.0/0', check: gkeAuthorizedNetworks },
  { id: 'gke-vpc-native', cisId: 'CIS GKE 1.9 5.6.2', title: 'VPC-native cluster', check: gkeVpcNative },
  { id: 'gke-workload-identity', cisId: 'CIS GKE 1.9 5.2.2', title: 'Workload Identity', check: gkeWorkloadIdentity },
  { id: 'gke-shielded-nodes', cisId: 'CIS GKE 1.9 5.5.5', title: 'Shielded GKE nodes', check: gkeShieldedNodes },
  { id: 'gke-release-channel', cisId: 'CIS GKE 1.9 5.5.4', title: 'Release channel', check: gkeReleaseChannel },
  { id: 'gke-network-policy', cisId: 'CIS GKE 1.9 5.6.7', title: 'NetworkPolicy enforcement', check: gkeNetworkPolicy },
  { id: 'gke-intranode-visibility', cisId: 'CIS GKE 1.9 5.6.1', title: 'Intranode visibility', check: gkeIntranodeVisibility },
  { id: 'gke-binary-authorization', cisId: 'CIS GKE 1.9 5.10.4', title: 'Binary Authorization', check: gkeBinaryAuthorization },
  { id: 'gke-secrets-encryption', cisId: 'CIS GKE 1.9 5.3.1', title: 'prod: Secrets encrypted with Cloud KMS', check: gkeSecretsEncryption },
  { id: 'gke-dns-endpoint', title: 'DNS-based control-plane endpoint', check: gkeDnsEndpoint },
  { id: 'gke-legacy-abac-disabled', cisId: 'CIS GKE 1.9 5.8.3', title: 'Legacy ABAC disabled', check: gkeLegacyAbacDisabled },
  { id: 'gke-client-certificate-disabled', cisId: 'CIS GKE 1.9 5.8.1', title: 'Client certificate disabled', check: gkeClientCertificateDisabled },
  { id: 'gke-logging-monitoring', cisId: 'CIS GKE 1.9 5.7.1', title: 'Logging and monitoring', check: gkeLoggingMonitoring },
  { id: 'gke-node-service-account', cisId: 'CIS GKE 1.9 5.2.1', title: 'Non-default node service account', check: gkeNodeServiceAccount },
  { id: 'gke-metadata-server', cisId: 'CIS GKE 1.9 5.4.2', title: 'GKE metadata server', check: gkeMetadataServer },
  { id: 'gke-legacy-metadata-disabled', cisId: 'CIS GKE 1.9 5.4.1', title: 'Legacy metadata endpoints disabled', check: gkeLegacyMetadataDisabled },
  { id: 'gke-cos-containerd', cisId: 'CIS GKE 1.9 5.5.1', title: 'Container-Optimized OS', check: gkeCosContainerd },
  { id: 'gke-secure-boot', cisId: 'CIS GKE 1.9 5.5.7', title: 'Secure Boot', check: gkeSecureBoot },
  { id: 'gke-integrity-monitoring', cisId: 'CIS GKE 1.9 5.5.6', title: 'Integrity monitoring', check: gkeIntegrityMonitoring },
  { id: 'gke-auto-repair', cisId: 'CIS GKE 1.9 5.5.2', title: 'Node auto-repair', check: gkeAutoRepair },
  { id: 'gke-auto-upgrade', cisId: 'CIS GKE 1.9 5.5.3', title: 'Node auto-upgrade', check: gkeAutoUpgrade },
  { id: 'sql-no-public-ip', cisId: 'CIS GCP 3.0 6.6', title: 'No public IP', check: sqlNoPublicIp },
  { id: 'sql-ssl-required', cisId: 'CIS GCP 3.0 6.4', title: 'TLS required', check: sqlSslRequired },
  { id: 'sql-no-open-authorized-networks', cisId: 'CIS GCP 3.0 6.5', title: 'No 0.0.0.0/0 authorized network', check: sqlNoOpenAuthorizedNetworks },
  { id: 'sql-automated-backups', cisId: 'CIS GCP 3.0 6.7', title: 'Automated backups', check: sqlAutomatedBackups },
  { id: 'sql-point-in-time-recovery', title: 'Point-in-time recovery', check: sqlPointInTimeRecovery },
  { id: 'sql-log-connections', cisId: 'CIS GCP 3.0 6.2.2', title: 'log_connections on', check: sqlLogConnections },
  { id: 'sql-log-disconnections', cisId: 'CIS GCP 3.0 6.2.3', title: 'log_disconnections on', check: sqlLogDisconnections },
  { id: 'sql-log-min-duration-statement', cisId: 'CIS GCP 3.0 6.2.7', title: 'log_min_duration_statement -1', check: sqlLogMinDurationStatement },
  { id: 'sql-log-statement', cisId: 'CIS GCP 3.0 6.2.4', title: 'log_statement ddl', check: sqlLogStatement },
  { id: 'sql-log-min-error-statement', cisId: 'CIS GCP 3.0 6.2.6', title: 'log_min_error_statement error', check: sqlLogMinErrorStatement },
  { id: 'sql-pgaudit', cisId: 'CIS GCP 3.0 6.2.8', title: 'cloudsql.enable_pgaudit on', check: sqlPgaudit },
  { id: 'kms-key-rotation', cisId: 'CIS GCP 3.0 1.10', title: 'KMS keys rotated within 90 days', check: kmsKeyRotation },
  { id: 'network-no-open-ingress', cisId: 'CIS GCP 3.0 3.6, 3.7', title: 'No ingress from 0.0.0.0/0', check: networkNoOpenIngress },
  { id: 'network-flow-logs', cisId: 'CIS GCP 3.0 3.8', title: 'VPC flow logs', check: networkFlowLogs },
  { id: 'network-custom-mode', title: 'Custom-mode VPC', check: networkCustomMode },
  { id: 'network-private-google-access', title: 'Private Google Access', check: networkPrivateGoogleAccess },
  { id: 'redis-auth', title: 'Redis AUTH', check: redisAuth },
  { id: 'redis-transit-encryption', title: 'Redis TLS in transit', check: redisTransitEncryption },
  { id: 'prod-deletion-protection', title: 'prod: deletion protection on', check: prodDeletionProtection },
  { id: 'dev-destroyable', title: 'dev: nothing blocks pulumi destroy', check: devDestroyable },
];

/** Runs every policy over a plan's resources: one finding per policy and resource it applies to. */
export function runPolicies(resources: readonly PlannedResource[], context: PolicyContext): PolicyFinding[] {
  return POLICIES.flatMap((policy) =>
    policy.check(resources, context).map((verdict) => ({ policyId: policy.id, ...(policy.cisId ? { cisId: policy.cisId } : {}), ...verdict })),
  );
}
