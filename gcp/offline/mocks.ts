/**
 * Stand-ins for the GCP and random providers. Each resource gets the output-only
 * fields the real provider would report (ids, self links, endpoints, certificates,
 * IPs), deterministic so that plans and snapshots never change between runs.
 */
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';

type Inputs = Record<string, unknown>;

interface MockContext {
  /** The resource's name in GCP: its `name` input, or what Pulumi's auto-naming would make of the logical name. */
  readonly name: string;
  readonly inputs: Inputs;
  readonly project: string;
  readonly region: string;
}

interface MockResult {
  readonly id: string;
  readonly state: Inputs;
}

/** The project number the mocks report (the API uses it in secret and peering names). */
export const MOCK_PROJECT_NUMBER = '123456789012';
/** What the mocked `random.RandomPassword` returns; tests check it never reaches a plan unmasked. */
export const MOCK_PASSWORD = 'offline-mock-password-0000000000';
export const MOCK_REDIS_AUTH = 'offline-mock-redis-auth-00000000';
const MOCK_CA_PEM = '-----BEGIN CERTIFICATE-----\nT0ZGTElORSBNT0NLIENBIChpYWMtbGFiLWtpdCk=\n-----END CERTIFICATE-----\n';
export const MOCK_CA_CERTIFICATE = Buffer.from(MOCK_CA_PEM).toString('base64');

const COMPUTE = 'https://www.googleapis.com/compute/v1';

/** Where each API's service agent lives: service-<project number>@<domain>.iam.gserviceaccount.com. */
const SERVICE_AGENT_DOMAINS: Record<string, string> = { 'container.googleapis.com': 'container-engine-robot' };

const OUTPUTS: Record<string, (r: MockContext) => MockResult> = {
  'gcp:projects/service:Service': ({ project, inputs }) => ({ id: `${project}/${String(inputs.service)}`, state: {} }),
  'gcp:compute/network:Network': ({ project, name }) => selfLinked(`projects/${project}/global/networks/${name}`),
  'gcp:compute/subnetwork:Subnetwork': ({ project, region, name, inputs }) =>
    selfLinked(`projects/${project}/regions/${region}/subnetworks/${name}`, { gatewayAddress: firstHost(String(inputs.ipCidrRange)) }),
  'gcp:compute/router:Router': ({ project, region, name }) => selfLinked(`projects/${project}/regions/${region}/routers/${name}`),
  'gcp:compute/routerNat:RouterNat': ({ project, region, name, inputs }) => ({ id: `${project}/${region}/${String(inputs.router)}/${name}`, state: {} }),
  'gcp:compute/globalAddress:GlobalAddress': ({ project, name }) => selfLinked(`projects/${project}/global/addresses/${name}`),
  'gcp:compute/firewall:Firewall': ({ project, name }) => selfLinked(`projects/${project}/global/firewalls/${name}`),
  'gcp:servicenetworking/connection:Connection': ({ inputs }) => ({
    id: `${encodeURIComponent(String(inputs.network))}:${String(inputs.service)}`,
    state: { peering: 'servicenetworking-googleapis-com' },
  }),
  'gcp:serviceaccount/account:Account': ({ project, inputs }) => {
    const email = `${String(inputs.accountId)}@${project}.iam.gserviceaccount.com`;
    const id = `projects/${project}/serviceAccounts/${email}`;
    return { id, state: { email, member: `serviceAccount:${email}`, name: id, uniqueId: digits(email, 21) } };
  },
  'gcp:projects/iAMMember:IAMMember': ({ inputs }) => ({
    id: `${String(inputs.project)}/${String(inputs.role)}/${String(inputs.member)}`,
    state: { etag: `BwY${digits(String(inputs.member), 8)}=` },
  }),
  'gcp:serviceaccount/iAMMember:IAMMember': ({ inputs }) => ({
    id: `${String(inputs.serviceAccountId)}/${String(inputs.role)}/${String(inputs.member)}`,
    state: { etag: `BwY${digits(String(inputs.member), 8)}=` },
  }),
  'gcp:secretmanager/secretIamMember:SecretIamMember': ({ inputs }) => ({
    id: `${String(inputs.secretId)}/${String(inputs.role)}/${String(inputs.member)}`,
    state: { etag: `BwY${digits(String(inputs.member), 8)}=` },
  }),
  'gcp:container/cluster:Cluster': ({ project, name, inputs }) => {
    const location = String(inputs.location);
    const endpoint = `203.0.113.${1 + (Number(digits(name, 3)) % 250)}`;
    const path = `projects/${project}/locations/${location}/clusters/${name}`;
    return {
      id: path,
      state: {
        selfLink: `https://container.googleapis.com/v1/${path}`,
        endpoint,
        masterVersion: '1.33.5-gke.1000000',
        masterAuth: { ...(inputs.masterAuth as Inputs), clusterCaCertificate: MOCK_CA_CERTIFICATE },
        privateClusterConfig: {
          ...(inputs.privateClusterConfig as Inputs),
          privateEndpoint: '172.16.0.2',
          publicEndpoint: endpoint,
          peeringName: `gke-n${digits(name, 16)}-peer`,
        },
      },
    };
  },
  'gcp:kms/keyRing:KeyRing': ({ project, name, inputs }) => ({ id: `projects/${project}/locations/${String(inputs.location)}/keyRings/${name}`, state: {} }),
  'gcp:kms/cryptoKey:CryptoKey': ({ name, inputs }) => ({ id: `${String(inputs.keyRing)}/cryptoKeys/${name}`, state: { primary: [{ name: `${String(inputs.keyRing)}/cryptoKeys/${name}/cryptoKeyVersions/1`, state: 'ENABLED' }] } }),
  'gcp:projects/serviceIdentity:ServiceIdentity': ({ project, inputs }) => {
    const email = `service-${MOCK_PROJECT_NUMBER}@${SERVICE_AGENT_DOMAINS[String(inputs.service)] ?? 'unknown-service-agent'}.iam.gserviceaccount.com`;
    return { id: `projects/${project}/services/${String(inputs.service)}`, state: { email, member: `serviceAccount:${email}` } };
  },
  'gcp:container/nodePool:NodePool': ({ name, inputs }) => ({
    id: `${String(inputs.cluster)}/nodePools/${name}`,
    state: { instanceGroupUrls: [], version: '1.33.5-gke.1000000' },
  }),
  'gcp:sql/databaseInstance:DatabaseInstance': ({ project, region, name }) => ({
    id: name,
    state: {
      connectionName: `${project}:${region}:${name}`,
      privateIpAddress: '10.100.0.3',
      ipAddresses: [{ ipAddress: '10.100.0.3', type: 'PRIVATE' }],
      selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${project}/instances/${name}`,
      serviceAccountEmailAddress: `p${MOCK_PROJECT_NUMBER}-abcdef@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
      serverCaCerts: [{ cert: MOCK_CA_PEM, commonName: 'C=US,O=Google\\, Inc,CN=Google Cloud SQL Server CA' }],
    },
  }),
  'gcp:sql/database:Database': ({ project, name, inputs }) => ({
    id: `projects/${project}/instances/${String(inputs.instance)}/databases/${name}`,
    state: { selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${project}/instances/${String(inputs.instance)}/databases/${name}` },
  }),
  'gcp:sql/user:User': ({ name, inputs }) => ({ id: `${name}//${String(inputs.instance)}`, state: {} }),
  'random:index/randomPassword:RandomPassword': () => ({
    id: 'none',
    state: { result: MOCK_PASSWORD, bcryptHash: '$2a$10$offlinemockhashofflinemockhashoffline0000000000000000' },
  }),
  'gcp:secretmanager/secret:Secret': ({ project, inputs }) => ({
    id: `projects/${project}/secrets/${String(inputs.secretId)}`,
    state: { name: `projects/${MOCK_PROJECT_NUMBER}/secrets/${String(inputs.secretId)}`, createTime: '2026-01-01T00:00:00Z' },
  }),
  'gcp:secretmanager/secretVersion:SecretVersion': ({ inputs }) => {
    const secretId = String(inputs.secret).split('/').pop();
    const name = `projects/${MOCK_PROJECT_NUMBER}/secrets/${secretId}/versions/1`;
    return { id: name, state: { name, version: '1', createTime: '2026-01-01T00:00:00Z' } };
  },
  'gcp:redis/instance:Instance': ({ project, region, name, inputs }) => ({
    id: `projects/${project}/locations/${region}/instances/${name}`,
    state: {
      host: '10.100.1.4',
      port: 6378, // Memorystore serves TLS on 6378 when transit encryption is on.
      authString: MOCK_REDIS_AUTH,
      currentLocationId: inputs.locationId,
      serverCaCerts: [{ cert: MOCK_CA_PEM, serialNumber: '0' }],
    },
  }),
};

/**
 * `pulumi.runtime.Mocks` for the labs. `secretOutputs` tells, per resource, which
 * outputs the provider marks secret (its `additionalSecretOutputs`), as the engine would.
 */
export class GcpMocks implements pulumi.runtime.Mocks {
  constructor(
    private readonly defaults: { readonly project: string; readonly region: string },
    private readonly secretOutputs: (type: string, name: string) => readonly string[],
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = args.inputs as Inputs;
    if (args.custom === false) return { id: undefined, state: inputs };
    const context: MockContext = {
      name: typeof inputs.name === 'string' ? inputs.name : autoName(args.name),
      inputs,
      project: typeof inputs.project === 'string' ? inputs.project : this.defaults.project,
      region: typeof inputs.region === 'string' ? inputs.region : this.defaults.region,
    };
    const outputs = OUTPUTS[args.type] ?? (({ project, name }: MockContext) => ({ id: `projects/${project}/${args.type}/${name}`, state: {} }));
    const { id, state } = outputs(context);
    const all: Inputs = { ...inputs, name: context.name, ...state };
    for (const key of this.secretOutputs(args.type, args.name)) {
      if (all[key] !== undefined) all[key] = pulumi.secret(all[key]);
    }
    return { id, state: all };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    throw new Error(`The offline plan has no mock for the function ${args.token}: add one to gcp/offline/mocks.ts.`);
  }
}

/** Pulumi auto-names a resource `<logical name>-<7 random hex>`; here the suffix is derived, not random. */
function autoName(logicalName: string): string {
  return `${logicalName}-${hash(logicalName).slice(0, 7)}`;
}

function selfLinked(path: string, extra: Inputs = {}): MockResult {
  return { id: path, state: { selfLink: `${COMPUTE}/${path}`, ...extra } };
}

function firstHost(cidr: string): string {
  const [address] = cidr.split('/');
  const octets = address.split('.').map(Number);
  octets[3] += 1;
  return octets.join('.');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A deterministic string of `length` decimal digits derived from `seed`. */
function digits(seed: string, length: number): string {
  return BigInt(`0x${hash(seed)}`).toString().slice(0, length);
}
