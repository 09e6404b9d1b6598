import { TYPES } from '../../gcp/policies';
import { type Exercise, type ExerciseInput, resourcesOf } from '../cli/lab';
import type { LabResource } from '../cli/resources';

const BUCKET = 'gcp:storage/bucket:Bucket';
const ACCOUNT = 'gcp:serviceaccount/account:Account';
const ACCOUNT_IAM = 'gcp:serviceaccount/iAMMember:IAMMember';
const PROJECT_IAM = 'gcp:projects/iAMMember:IAMMember';
const WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser';

/** Roles that write objects and nothing more: what the app may hold on its bucket. */
const OBJECT_WRITER_ROLES = ['roles/storage.objectCreator', 'roles/storage.objectUser', 'roles/storage.objectAdmin'];
/** Every role that can write to a bucket: those, and those that also control the bucket and its IAM. */
const BUCKET_WRITER_ROLES = [...OBJECT_WRITER_ROLES, 'roles/storage.admin', 'roles/storage.legacyBucketOwner', 'roles/storage.legacyBucketWriter'];
const PUBLIC_MEMBERS = ['allUsers', 'allAuthenticatedUsers'];

export const exercises: readonly Exercise[] = [
  {
    number: 1,
    title: 'A bucket for shared files',
    check(input) {
      const buckets = resourcesOf(input, BUCKET);
      if (buckets.length === 0) return ['no Cloud Storage bucket yet: add a gcp.storage.Bucket to the platform (gcp/labs/platform.ts)'];
      const app = appAccount(input);
      if (app === undefined) return ['the plan has no Workload Identity binding to find the app account by: undo what removed it from AppIdentity'];
      const problems = buckets.flatMap((bucket) => {
        const found: string[] = [];
        if (bucket.props.location === undefined) found.push(`${bucket.name} has no location: put it in the platform's region`);
        if (bucket.props.uniformBucketLevelAccess !== true) found.push(`${bucket.name} allows per-object ACLs: set uniformBucketLevelAccess to true, so IAM alone decides`);
        if (bucket.props.publicAccessPrevention !== 'enforced') found.push(`${bucket.name} can be made public: set publicAccessPrevention to 'enforced'`);
        if (bucket.props.forceDestroy !== true) found.push(`${bucket.name} stops pulumi destroy in dev once it holds a file: set forceDestroy to true in dev`);
        const grants = storageGrantsOn(input, bucket);
        const appGrants = grants.filter((grant) => grant.member === app.member || grant.resource.uses.includes(app.account.id));
        if (!appGrants.some((grant) => OBJECT_WRITER_ROLES.includes(grant.role))) {
          found.push(`the app's service account cannot write to ${bucket.name}: grant it roles/storage.objectUser there with a gcp.storage.BucketIAMMember`);
        }
        for (const grant of appGrants.filter((g) => BUCKET_WRITER_ROLES.includes(g.role) && !OBJECT_WRITER_ROLES.includes(g.role))) {
          found.push(`${grant.resource.name} gives the app ${grant.role}, which also controls the bucket and its IAM: grant roles/storage.objectUser instead`);
        }
        for (const grant of grants.filter((g) => !appGrants.includes(g))) {
          if (PUBLIC_MEMBERS.includes(grant.member)) found.push(`${grant.resource.name} makes ${bucket.name} public (${grant.member}): remove it`);
          else if (BUCKET_WRITER_ROLES.includes(grant.role)) found.push(`${grant.resource.name} lets ${grant.member} write to ${bucket.name}: only the app's service account may`);
        }
        return found;
      });
      for (const bucket of resourcesOf(input, BUCKET, 'prod').filter((b) => b.props.forceDestroy === true)) {
        problems.push(`${bucket.name} sets forceDestroy in prod: prod keeps its data, so let only dev delete a bucket with files in it`);
      }
      const projectRoles = resourcesOf(input, PROJECT_IAM).filter((grant) => grant.props.member === app.member && grant.props.role !== 'roles/cloudsql.client');
      for (const grant of projectRoles) problems.push(`${grant.name} gives the app ${String(grant.props.role)} on the whole project: grant storage roles on the bucket only`);
      return problems;
    },
  },
  {
    number: 2,
    title: 'A staging namespace for the chat app',
    check(input) {
      const cluster = resourcesOf(input, TYPES.cluster)[0];
      if (cluster === undefined) return ['the plan has no GKE cluster: undo what removed it from gcp/labs/platform.ts'];
      const pool = String(cluster.props.workloadIdentityConfig?.workloadPool);
      const bindings = resourcesOf(input, ACCOUNT_IAM).filter((binding) => binding.props.role === WORKLOAD_IDENTITY_USER);
      const bindingFor = (namespace: string) => bindings.find((b) => b.props.member === `serviceAccount:${pool}[${namespace}/chat-app]`);
      const chat = bindingFor('chat');
      const staging = bindingFor('chat-staging');
      const problems: string[] = [];
      if (chat === undefined) problems.push('the binding for chat/chat-app is gone: keep it next to the staging one');
      if (staging === undefined) {
        const members = bindings.map((b) => String(b.props.member)).join(', ') || 'none';
        return [...problems, `no Workload Identity binding for chat-staging/chat-app yet (bindings now: ${members}): bind the namespace chat-staging in AppIdentity`];
      }
      if (chat !== undefined && staging.props.serviceAccountId !== chat.props.serviceAccountId) {
        problems.push(`${staging.name} binds chat-staging to ${String(staging.props.serviceAccountId)}, not the app's Google service account: use the same identity`);
      }
      if (!staging.uses.includes(cluster.id)) problems.push(`${staging.name} does not wait for the cluster: take the pool from the cluster (workloadPool), as the chat binding does`);
      return problems;
    },
  },
  {
    number: 3,
    title: 'Rehearse a Redis failover in dev',
    check(input) {
      const instances = resourcesOf(input, TYPES.redis);
      if (instances.length === 0) return ['the plan has no Memorystore instance: undo what removed it from gcp/labs/platform.ts'];
      return instances.flatMap((redis) => {
        const problems: string[] = [];
        if (redis.props.tier !== 'STANDARD_HA') problems.push(`${redis.name} is ${String(redis.props.tier)} in dev: a failover needs a replica, set the dev tier to STANDARD_HA in PROFILE_SETTINGS (gcp/config.ts)`);
        if (redis.props.memorySizeGb !== 1) problems.push(`${redis.name} has ${String(redis.props.memorySizeGb)} GB in dev: keep dev's 1 GB`);
        return problems;
      });
    },
  },
];

/** The app's Google service account: the one its Workload Identity binding lets pods act as. */
function appAccount(input: ExerciseInput): { account: LabResource; member: string } | undefined {
  const binding = resourcesOf(input, ACCOUNT_IAM).find((b) => b.props.role === WORKLOAD_IDENTITY_USER);
  const account = resourcesOf(input, ACCOUNT).find((a) => binding?.uses.includes(a.id));
  if (account === undefined) return undefined;
  const { accountId, project } = account.props;
  return { account, member: `serviceAccount:${String(accountId)}@${String(project)}.iam.gserviceaccount.com` };
}

interface StorageGrant {
  readonly resource: LabResource;
  readonly role: string;
  readonly member: string;
}

/** Every member and role granted on `bucket` by IAM member and IAM binding resources. */
function storageGrantsOn(input: ExerciseInput, bucket: LabResource): StorageGrant[] {
  const onBucket = input.dev!.resources.filter((r) => r.type.startsWith('gcp:storage/bucketIAM') && r.uses.includes(bucket.id));
  return onBucket.flatMap((resource) => {
    const { role, member, members } = resource.props;
    return ((members ?? [member]) as unknown[]).map((m) => ({ resource, role: String(role), member: String(m) }));
  });
}
