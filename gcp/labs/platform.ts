import * as pulumi from '@pulumi/pulumi';
import { AppIdentity } from '../components/app-identity';
import { GkeCluster } from '../components/gke-cluster';
import { LabNetwork } from '../components/lab-network';
import { PrivatePostgres } from '../components/private-postgres';
import { PrivateServiceAccess } from '../components/private-service-access';
import { ProjectServices } from '../components/project-services';
import { RedisCache } from '../components/redis-cache';
import { CLOUDSQL_APIS, databaseOutputs } from './cloudsql';
import { clusterOutputs, GKE_APIS } from './gke';
import type { LabArgs, LabOutputs } from './lab';

export const PLATFORM_APIS = [...new Set([...GKE_APIS, ...CLOUDSQL_APIS, 'redis.googleapis.com'])];

/** Where the chat app runs in the cluster; its pods use this Kubernetes service account. */
export const CHAT_APP = { namespace: 'chat', serviceAccount: 'chat-app' } as const;

/**
 * The chat platform of the course (GKE + Cloud SQL + Memorystore) on one network: the
 * cluster, a private Postgres and a private Redis, and the app's Workload Identity
 * with only `cloudsql.client` and read access to its two secrets.
 */
export class PlatformLab extends pulumi.ComponentResource {
  readonly outputs: LabOutputs;

  constructor(name: string, { config }: LabArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:PlatformLab', name, {}, opts);
    const apis = new ProjectServices(`${name}-apis`, { project: config.project, apis: PLATFORM_APIS }, { parent: this });
    const afterApis = { parent: this, dependsOn: [apis] };
    const network = new LabNetwork(`${name}-network`, { region: config.region, egressNat: true }, afterApis);
    const privateServices = new PrivateServiceAccess(`${name}-psa`, { vpc: network.vpc }, afterApis);
    const common = { project: config.project, deletionProtection: config.deletionProtection, labels: config.labels };
    // Cloud SQL and Memorystore sit side by side on the private services range, in the nodes' zone.
    const privatePlacement = { ...common, region: config.region, zone: config.zone, network, privateServices };

    const cluster = new GkeCluster(
      `${name}-cluster`,
      { ...common, clusterName: config.namePrefix, region: config.region, network, settings: config.gke },
      afterApis,
    );
    const postgres = new PrivatePostgres(
      `${name}-postgres`,
      {
        ...privatePlacement,
        settings: config.database,
        databaseName: 'chat',
        userName: 'chat',
        passwordSecretId: `${config.namePrefix}-db-password`,
      },
      afterApis,
    );
    const redis = new RedisCache(
      `${name}-redis`,
      { ...privatePlacement, settings: config.redis, authSecretId: `${config.namePrefix}-redis-auth` },
      afterApis,
    );
    const app = new AppIdentity(
      `${name}-app`,
      {
        project: config.project,
        accountId: `${config.namePrefix}-app`,
        workloadPool: cluster.workloadPool,
        kubernetesNamespace: CHAT_APP.namespace,
        kubernetesServiceAccount: CHAT_APP.serviceAccount,
        projectRoles: ['roles/cloudsql.client'],
        secrets: { 'db-password': postgres.passwordSecret, 'redis-auth': redis.authSecret },
      },
      afterApis,
    );

    this.outputs = {
      ...clusterOutputs(cluster),
      ...databaseOutputs(postgres),
      redisHost: redis.instance.host,
      redisPort: redis.instance.port,
      redisAuthSecret: redis.authSecret.id,
      appServiceAccount: app.serviceAccount.email,
      appKubernetesServiceAccount: pulumi.output(`${CHAT_APP.namespace}/${CHAT_APP.serviceAccount}`),
      networkName: network.vpc.name,
      // The CA that signs Memorystore's TLS certificate: the app verifies the server with it (secret only
      // in that the kit keeps every connection detail out of plain stack output).
      redisServerCa: pulumi.secret(redis.instance.serverCaCerts.apply((certs) => certs.map((c) => c.cert).join(''))),
    };
    this.registerOutputs(this.outputs);
  }
}
