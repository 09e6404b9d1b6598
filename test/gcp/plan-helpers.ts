import type { OfflinePlan, PlannedResource } from '../../gcp/offline/plan-model';
import { runPolicies } from '../../gcp/policies';

export const T = {
  stack: 'pulumi:pulumi:Stack',
  service: 'gcp:projects/service:Service',
  network: 'gcp:compute/network:Network',
  subnet: 'gcp:compute/subnetwork:Subnetwork',
  router: 'gcp:compute/router:Router',
  nat: 'gcp:compute/routerNat:RouterNat',
  firewall: 'gcp:compute/firewall:Firewall',
  globalAddress: 'gcp:compute/globalAddress:GlobalAddress',
  psaConnection: 'gcp:servicenetworking/connection:Connection',
  account: 'gcp:serviceaccount/account:Account',
  projectIam: 'gcp:projects/iAMMember:IAMMember',
  accountIam: 'gcp:serviceaccount/iAMMember:IAMMember',
  secretIam: 'gcp:secretmanager/secretIamMember:SecretIamMember',
  cluster: 'gcp:container/cluster:Cluster',
  nodePool: 'gcp:container/nodePool:NodePool',
  sqlInstance: 'gcp:sql/databaseInstance:DatabaseInstance',
  sqlDatabase: 'gcp:sql/database:Database',
  sqlUser: 'gcp:sql/user:User',
  password: 'random:index/randomPassword:RandomPassword',
  secret: 'gcp:secretmanager/secret:Secret',
  secretVersion: 'gcp:secretmanager/secretVersion:SecretVersion',
  redis: 'gcp:redis/instance:Instance',
  imageAdmissionPolicy: 'gcp:binaryauthorization/policy:Policy',
  keyRing: 'gcp:kms/keyRing:KeyRing',
  cryptoKey: 'gcp:kms/cryptoKey:CryptoKey',
  keyIam: 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember',
} as const;

export function ofType(plan: OfflinePlan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The only resource of `type` in the plan. */
export function one(plan: OfflinePlan, type: string): PlannedResource {
  const found = ofType(plan, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

export function named(plan: OfflinePlan, name: string): PlannedResource {
  const found = plan.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
}

/** The failing policy findings of a plan (an empty list means every policy passes). */
export function policyFailures(plan: OfflinePlan) {
  return runPolicies(plan.resources, { profile: plan.profile }).filter((f) => !f.pass);
}

/** Project roles granted to `member` in the plan. */
export function projectRolesOf(plan: OfflinePlan, member: string): string[] {
  return ofType(plan, T.projectIam)
    .filter((r) => r.inputs.member === member)
    .map((r) => String(r.inputs.role))
    .sort();
}
