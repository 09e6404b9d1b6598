/** One change per policy that must make it fail, shared by the in-process tests and the policy pack's. */
import type { OfflinePlan, PlannedResource } from '../../gcp/offline/plan-model';
import { TYPES } from '../../gcp/policies';

const REMOVE = Symbol('remove');

/** A change that must make one policy fail: set (or remove) one input of the first resource of `type`. */
export interface Breaker {
  readonly stack: 'platform-dev' | 'platform-prod';
  readonly type: string;
  readonly path: string;
  readonly value: unknown;
}

/** A copy of the plan's resources with `breaker` applied. */
export function broken(plan: OfflinePlan, { type, path, value }: Breaker): PlannedResource[] {
  const resources = structuredClone(plan.resources);
  const target = resources.find((r) => r.type === type);
  if (!target) throw new Error(`no ${type} in ${plan.stack}`);
  const keys = path.split('.');
  const last = keys.pop() as string;
  const holder = keys.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, target.inputs);
  if (value === REMOVE) delete holder[last];
  else holder[last] = value;
  return resources;
}

export const openFirewall: PlannedResource = {
  type: TYPES.firewall,
  name: 'allow-ssh-from-anywhere',
  inputs: { network: 'vpc', allows: [{ protocol: 'tcp', ports: ['22'] }], sourceRanges: ['0.0.0.0/0'] },
  dependencies: [],
};

const dev = (type: string, path: string, value: unknown): Breaker => ({ stack: 'platform-dev', type, path, value });

/** For each policy, a change that breaks it (the firewall guard gets a whole open rule instead). */
export const BREAKERS: Record<string, Breaker | 'add an open firewall rule'> = {
  'gke-private-nodes': dev(TYPES.cluster, 'privateClusterConfig.enablePrivateNodes', false),
  'gke-authorized-networks': dev(TYPES.cluster, 'masterAuthorizedNetworksConfig.cidrBlocks', [{ cidrBlock: '203.0.113.0/24' }, { cidrBlock: '0.0.0.0/0' }]),
  'gke-vpc-native': dev(TYPES.cluster, 'networkingMode', 'ROUTES'),
  'gke-workload-identity': dev(TYPES.cluster, 'workloadIdentityConfig', REMOVE),
  'gke-shielded-nodes': dev(TYPES.cluster, 'enableShieldedNodes', false),
  'gke-release-channel': dev(TYPES.cluster, 'releaseChannel.channel', 'UNSPECIFIED'),
  'gke-network-policy': dev(TYPES.cluster, 'datapathProvider', REMOVE),
  'gke-intranode-visibility': dev(TYPES.cluster, 'enableIntranodeVisibility', false),
  'gke-binary-authorization': dev(TYPES.cluster, 'binaryAuthorization', REMOVE),
  'gke-secrets-encryption': { stack: 'platform-prod', type: TYPES.cluster, path: 'databaseEncryption', value: REMOVE },
  'gke-dns-endpoint': dev(TYPES.cluster, 'controlPlaneEndpointsConfig', REMOVE),
  'gke-legacy-abac-disabled': dev(TYPES.cluster, 'enableLegacyAbac', true),
  'gke-client-certificate-disabled': dev(TYPES.cluster, 'masterAuth.clientCertificateConfig.issueClientCertificate', true),
  'gke-logging-monitoring': dev(TYPES.cluster, 'loggingService', 'none'),
  'gke-node-service-account': dev(TYPES.nodePool, 'nodeConfig.serviceAccount', '123456789012-compute@developer.gserviceaccount.com'),
  'gke-metadata-server': dev(TYPES.nodePool, 'nodeConfig.workloadMetadataConfig.mode', 'GCE_METADATA'),
  'gke-legacy-metadata-disabled': dev(TYPES.nodePool, 'nodeConfig.metadata.disable-legacy-endpoints', 'false'),
  'gke-cos-containerd': dev(TYPES.nodePool, 'nodeConfig.imageType', 'UBUNTU_CONTAINERD'),
  'gke-secure-boot': dev(TYPES.nodePool, 'nodeConfig.shieldedInstanceConfig.enableSecureBoot', REMOVE),
  'gke-integrity-monitoring': dev(TYPES.nodePool, 'nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring', false),
  'gke-auto-repair': dev(TYPES.nodePool, 'management.autoRepair', false),
  'gke-auto-upgrade': dev(TYPES.nodePool, 'management.autoUpgrade', false),
  'sql-no-public-ip': dev(TYPES.sqlInstance, 'settings.ipConfiguration.ipv4Enabled', REMOVE),
  'sql-ssl-required': dev(TYPES.sqlInstance, 'settings.ipConfiguration.sslMode', 'ALLOW_UNENCRYPTED_AND_ENCRYPTED'),
  'sql-no-open-authorized-networks': dev(TYPES.sqlInstance, 'settings.ipConfiguration.authorizedNetworks', [{ name: 'anyone', value: '0.0.0.0/0' }]),
  'sql-automated-backups': dev(TYPES.sqlInstance, 'settings.backupConfiguration.enabled', false),
  'sql-point-in-time-recovery': dev(TYPES.sqlInstance, 'settings.backupConfiguration.pointInTimeRecoveryEnabled', false),
  'sql-log-connections': dev(TYPES.sqlInstance, 'settings.databaseFlags.0.value', 'off'),
  'sql-log-disconnections': dev(TYPES.sqlInstance, 'settings.databaseFlags.1.value', 'off'),
  'sql-log-min-duration-statement': dev(TYPES.sqlInstance, 'settings.databaseFlags.2.value', '0'),
  'sql-log-statement': dev(TYPES.sqlInstance, 'settings.databaseFlags.3.value', 'all'),
  'sql-log-min-error-statement': dev(TYPES.sqlInstance, 'settings.databaseFlags.4.value', 'panic'),
  'sql-pgaudit': dev(TYPES.sqlInstance, 'settings.databaseFlags.5.value', 'off'),
  'kms-key-rotation': { stack: 'platform-prod', type: TYPES.cryptoKey, path: 'rotationPeriod', value: `${366 * 24 * 60 * 60}s` },
  'network-no-open-ingress': 'add an open firewall rule',
  'network-flow-logs': dev(TYPES.subnet, 'logConfig', REMOVE),
  'network-custom-mode': dev(TYPES.network, 'autoCreateSubnetworks', true),
  'network-private-google-access': dev(TYPES.subnet, 'privateIpGoogleAccess', false),
  'redis-auth': dev(TYPES.redis, 'authEnabled', false),
  'redis-transit-encryption': dev(TYPES.redis, 'transitEncryptionMode', REMOVE),
  'prod-deletion-protection': { stack: 'platform-prod', type: TYPES.sqlInstance, path: 'settings.deletionProtectionEnabled', value: false },
  'dev-destroyable': dev(TYPES.redis, 'deletionProtection', REMOVE),
};

/** The plan (of the breaker's stack) and its resources with the breaker applied, for policy `id`. */
export function brokenPlan(plans: readonly OfflinePlan[], id: string): { plan: OfflinePlan; resources: PlannedResource[] } {
  const breaker = BREAKERS[id];
  const plan = plans.find((p) => p.stack === (breaker === 'add an open firewall rule' ? 'platform-dev' : breaker.stack))!;
  return { plan, resources: breaker === 'add an open firewall rule' ? [...plan.resources, openFirewall] : broken(plan, breaker) };
}
