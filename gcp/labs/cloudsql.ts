import * as pulumi from '@pulumi/pulumi';
import { LabNetwork } from '../components/lab-network';
import { PrivatePostgres } from '../components/private-postgres';
import { PrivateServiceAccess } from '../components/private-service-access';
import { ProjectServices } from '../components/project-services';
import type { LabArgs, LabOutputs } from './lab';

export const CLOUDSQL_APIS = [
  'compute.googleapis.com',
  'servicenetworking.googleapis.com',
  'sqladmin.googleapis.com',
  'secretmanager.googleapis.com',
] as const;

/** The Cloud SQL lab: a private Postgres instance on its own network (no NAT: nothing here needs egress). */
export class CloudSqlLab extends pulumi.ComponentResource {
  readonly postgres: PrivatePostgres;
  readonly outputs: LabOutputs;

  constructor(name: string, { config }: LabArgs, opts?: pulumi.ComponentResourceOptions) {
    super('iac-lab-kit:gcp:CloudSqlLab', name, {}, opts);
    const apis = new ProjectServices(`${name}-apis`, { project: config.project, apis: CLOUDSQL_APIS }, { parent: this });
    const afterApis = { parent: this, dependsOn: [apis] };
    const network = new LabNetwork(`${name}-network`, { region: config.region, egressNat: false }, afterApis);
    const privateServices = new PrivateServiceAccess(`${name}-psa`, { vpc: network.vpc }, afterApis);
    this.postgres = new PrivatePostgres(
      `${name}-postgres`,
      {
        project: config.project,
        region: config.region,
        zone: config.zone,
        network,
        privateServices,
        settings: config.database,
        deletionProtection: config.deletionProtection,
        databaseName: 'app',
        userName: 'app',
        passwordSecretId: `${config.namePrefix}-db-password`,
        labels: config.labels,
      },
      afterApis,
    );
    this.outputs = { ...databaseOutputs(this.postgres), networkName: network.vpc.name };
    this.registerOutputs(this.outputs);
  }
}

/** How an app reaches the database; the password itself stays in Secret Manager. */
export function databaseOutputs(postgres: PrivatePostgres): LabOutputs {
  return {
    instanceName: postgres.instance.name,
    connectionName: postgres.instance.connectionName,
    privateIp: postgres.instance.privateIpAddress,
    databaseName: postgres.database.name,
    databaseUser: postgres.user.name,
    passwordSecret: postgres.passwordSecret.id,
  };
}
