import { MOCK_CA_CERTIFICATE } from '../../gcp/offline/mocks';
import { runLabOffline, type OfflineRun } from '../../gcp/offline/plan';
import { parse } from 'yaml';
import { PLACEHOLDER_PROJECT } from '../../gcp/offline/stack-config';
import { named, one, ofType, policyFailures, projectRolesOf, T } from './plan-helpers';

let dev: OfflineRun;
let prod: OfflineRun;
beforeAll(async () => {
  dev = await runLabOffline('gke', 'dev');
  prod = await runLabOffline('gke', 'prod');
});

describe('GKE lab plan', () => {
  test.each(['dev', 'prod'] as const)('%s resource graph matches the snapshot', (profile) => {
    const { plan } = profile === 'dev' ? dev : prod;
    expect({ resources: plan.resources, outputs: plan.outputs }).toMatchSnapshot();
  });

  test('every resource sits under the GkeLab component, one level per building block', () => {
    const { plan } = dev;
    expect(plan.resources[0]).toMatchObject({ type: T.stack, name: 'iac-lab-kit-gke-dev' });
    expect(named(plan, 'gke')).toMatchObject({ type: 'iac-lab-kit:gcp:GkeLab', parent: 'iac-lab-kit-gke-dev' });
    const components = plan.resources.filter((r) => r.parent === 'gke').map((r) => `${r.type} ${r.name}`);
    expect(components).toEqual([
      'iac-lab-kit:gcp:ProjectServices gke-apis',
      'iac-lab-kit:gcp:LabNetwork gke-network',
      'iac-lab-kit:gcp:GkeCluster gke-cluster',
    ]);
    expect(plan.resources.length).toBe(22);
  });

  test('enables the APIs it needs and leaves them on at teardown; the network and cluster wait for them', () => {
    const services = ofType(dev.plan, T.service);
    expect(services.map((s) => s.inputs.service).sort()).toEqual([
      'binaryauthorization.googleapis.com',
      'cloudkms.googleapis.com',
      'cloudresourcemanager.googleapis.com',
      'compute.googleapis.com',
      'container.googleapis.com',
      'iam.googleapis.com',
    ]);
    for (const service of services) expect(service.inputs).toMatchObject({ project: PLACEHOLDER_PROJECT, disableOnDestroy: false });
    for (const component of ['gke-network', 'gke-cluster']) {
      expect(named(dev.plan, component).dependencies).toEqual(expect.arrayContaining(services.map((s) => s.name)));
    }
  });

  test('network: custom-mode VPC, subnet with pod and service ranges, Private Google Access, flow logs, NAT, no firewall rule', () => {
    const { plan } = dev;
    expect(one(plan, T.network).inputs).toMatchObject({ autoCreateSubnetworks: false, routingMode: 'REGIONAL' });
    const subnet = one(plan, T.subnet);
    expect(subnet.inputs).toMatchObject({
      region: 'us-central1',
      ipCidrRange: '10.10.0.0/20',
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.20.0.0/14' },
        { rangeName: 'services', ipCidrRange: '10.24.0.0/20' },
      ],
      logConfig: { flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
    });
    expect(subnet.dependencies).toEqual(['gke-network-vpc']);
    const nat = one(plan, T.nat);
    expect(nat.inputs).toMatchObject({
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
      subnetworks: [
        {
          name: expect.stringMatching(/^projects\/offline-lab-project\/regions\/us-central1\/subnetworks\/gke-network-subnet-[0-9a-f]{7}$/),
          sourceIpRangesToNats: ['ALL_IP_RANGES'],
        },
      ],
    });
    expect(nat.dependencies).toEqual(['gke-network-router', 'gke-network-subnet']);
    expect(ofType(plan, T.firewall)).toEqual([]);
  });

  test('nodes run as a dedicated service account with exactly two roles, never the default compute account', () => {
    const { plan } = dev;
    const account = one(plan, T.account);
    expect(account.inputs).toMatchObject({ accountId: 'gke-dev-nodes', project: PLACEHOLDER_PROJECT });
    const email = `gke-dev-nodes@${PLACEHOLDER_PROJECT}.iam.gserviceaccount.com`;
    expect(projectRolesOf(plan, `serviceAccount:${email}`)).toEqual(['roles/artifactregistry.reader', 'roles/container.defaultNodeServiceAccount']);
    expect(ofType(plan, T.projectIam)).toHaveLength(2);
    expect(one(plan, T.cluster).inputs).toMatchObject({ nodeConfig: { serviceAccount: email } });
    expect(one(plan, T.nodePool).inputs).toMatchObject({ nodeConfig: { serviceAccount: email } });
  });

  test('cluster: private nodes, authorized networks, Workload Identity, Dataplane V2 and the other hardening settings', () => {
    const cluster = one(dev.plan, T.cluster);
    expect(cluster.inputs).toMatchObject({
      name: 'gke-dev',
      location: 'us-central1-b',
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: { clusterSecondaryRangeName: 'pods', servicesSecondaryRangeName: 'services' },
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: '172.16.0.0/28' },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: [{ cidrBlock: '203.0.113.0/24', displayName: 'authorized 203.0.113.0/24' }],
        gcpPublicCidrsAccessEnabled: false,
      },
      workloadIdentityConfig: { workloadPool: `${PLACEHOLDER_PROJECT}.svc.id.goog` },
      releaseChannel: { channel: 'REGULAR' },
      enableShieldedNodes: true,
      datapathProvider: 'ADVANCED_DATAPATH',
      gatewayApiConfig: { channel: 'CHANNEL_STANDARD' },
      enableLegacyAbac: false,
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      loggingConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS'] },
      monitoringConfig: { enableComponents: ['SYSTEM_COMPONENTS'], managedPrometheus: { enabled: true } },
      maintenancePolicy: { dailyMaintenanceWindow: { startTime: '03:00' } },
      deletionProtection: false,
      resourceLabels: { kit: 'iac-lab-kit', lab: 'gke', profile: 'dev', 'managed-by': 'pulumi' },
    });
    // Dataplane V2 enforces NetworkPolicy; the legacy Calico block must be absent or GKE rejects the cluster.
    expect(cluster.inputs.networkPolicy).toBeUndefined();
    expect(cluster.dependencies).toEqual(
      expect.arrayContaining(['gke-cluster-node-sa-container-defaultNodeServiceAccount', 'gke-network-vpc', 'gke-network-subnet']),
    );
  });

  test('the node pool is autoscaled, auto-repaired and auto-upgraded, with shielded COS nodes and the GKE metadata server', () => {
    const pool = one(dev.plan, T.nodePool);
    expect(pool.inputs).toMatchObject({
      initialNodeCount: 1,
      autoscaling: { minNodeCount: 1, maxNodeCount: 3, locationPolicy: 'ANY' },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        machineType: 'e2-medium',
        spot: true,
        diskType: 'pd-balanced',
        diskSizeGb: 30,
        imageType: 'COS_CONTAINERD',
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        metadata: { 'disable-legacy-endpoints': 'true' },
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
      },
    });
    expect(pool.inputs.cluster).toBe(`projects/${PLACEHOLDER_PROJECT}/locations/us-central1-b/clusters/gke-dev`);
    expect(pool.dependencies).toContain('gke-cluster-control-plane');
  });

  test('prod: regional, on-demand nodes, stable channel, deletion protection', () => {
    const cluster = one(prod.plan, T.cluster);
    expect(cluster.inputs).toMatchObject({ name: 'gke-prod', location: 'us-central1', releaseChannel: { channel: 'STABLE' }, deletionProtection: true });
    expect(one(prod.plan, T.nodePool).inputs).toMatchObject({
      autoscaling: { minNodeCount: 1, maxNodeCount: 3, locationPolicy: 'BALANCED' },
      nodeConfig: { machineType: 'e2-standard-4', spot: false, diskSizeGb: 100 },
    });
  });

  test('only images from the project\'s Artifact Registry (and GKE\'s own) run: dev audits a denial, prod blocks it', () => {
    for (const [run, enforcementMode] of [
      [dev, 'DRYRUN_AUDIT_LOG_ONLY'],
      [prod, 'ENFORCED_BLOCK_AND_AUDIT_LOG'],
    ] as const) {
      expect(one(run.plan, T.cluster).inputs).toMatchObject({ binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' } });
      expect(one(run.plan, T.cluster).dependencies).toContain('gke-cluster-image-admission-policy');
      expect(one(run.plan, T.imageAdmissionPolicy).inputs).toMatchObject({
        project: PLACEHOLDER_PROJECT,
        globalPolicyEvaluationMode: 'ENABLE',
        admissionWhitelistPatterns: [{ namePattern: `us-central1-docker.pkg.dev/${PLACEHOLDER_PROJECT}/**` }],
        defaultAdmissionRule: { evaluationMode: 'ALWAYS_DENY', enforcementMode },
      });
    }
  });

  test('prod encrypts Kubernetes Secrets with its own KMS key: in the region, rotated every 90 days, usable by GKE only, kept on destroy', () => {
    const key = one(prod.plan, T.cryptoKey);
    expect(key.inputs).toMatchObject({ purpose: 'ENCRYPT_DECRYPT', rotationPeriod: '7776000s', deletionPolicy: 'PREVENT' });
    expect(one(prod.plan, T.keyRing).inputs).toMatchObject({ project: PLACEHOLDER_PROJECT, location: 'us-central1' });
    expect(one(prod.plan, T.cluster).inputs.databaseEncryption).toEqual({
      state: 'ENCRYPTED',
      keyName: expect.stringMatching(
        new RegExp(`^projects/${PLACEHOLDER_PROJECT}/locations/us-central1/keyRings/gke-cluster-secrets-ring-[0-9a-f]{7}/cryptoKeys/gke-cluster-secrets-key-[0-9a-f]{7}$`),
      ),
    });
    expect(ofType(prod.plan, T.keyIam).map((m) => m.inputs)).toEqual([
      {
        cryptoKeyId: expect.stringContaining('/cryptoKeys/gke-cluster-secrets-key-'),
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member: 'serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com',
      },
    ]);
    // GKE checks its access to the key when it creates the cluster.
    expect(one(prod.plan, T.cluster).dependencies).toContain('gke-cluster-secrets-gke-agent-access');
    expect(ofType(dev.plan, T.cryptoKey)).toEqual([]);
    expect(one(dev.plan, T.cluster).inputs.databaseEncryption).toBeUndefined();
  });

  test('the DNS-based control-plane endpoint is on beside the IP endpoint and its authorized networks', () => {
    expect(one(dev.plan, T.cluster).inputs).toMatchObject({
      controlPlaneEndpointsConfig: { dnsEndpointConfig: { allowExternalTraffic: true } },
      masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: '203.0.113.0/24' }] },
    });
  });

  test('outputs: name, location, endpoint, and a secret kubeconfig that uses gke-gcloud-auth-plugin', () => {
    expect(dev.plan.outputs).toEqual({
      clusterName: 'gke-dev',
      clusterLocation: 'us-central1-b',
      clusterEndpoint: expect.stringMatching(/^203\.0\.113\.\d+$/),
      nodeServiceAccount: `gke-dev-nodes@${PLACEHOLDER_PROJECT}.iam.gserviceaccount.com`,
      networkName: expect.stringMatching(/^gke-network-vpc-[0-9a-f]{7}$/),
      kubeconfig: '[secret]',
    });
    const kubeconfig = parse(String(dev.revealedOutputs.kubeconfig));
    const context = `gke_${PLACEHOLDER_PROJECT}_us-central1-b_gke-dev`;
    expect(kubeconfig).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: context, cluster: { server: `https://${String(dev.plan.outputs.clusterEndpoint)}`, 'certificate-authority-data': MOCK_CA_CERTIFICATE } }],
      contexts: [{ name: context, context: { cluster: context, user: context } }],
      'current-context': context,
      preferences: {},
      users: [
        {
          name: context,
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'gke-gcloud-auth-plugin',
              installHint: expect.stringContaining('gke-gcloud-auth-plugin'),
              provideClusterInfo: true,
            },
          },
        },
      ],
    });
  });

  test('config overrides reach the cluster: authorized networks and node counts', async () => {
    const { plan } = await runLabOffline('gke', 'dev', {
      authorizedNetworks: '["198.51.100.7/32","192.0.2.0/24"]',
      nodeMinCount: '0',
      nodeMaxCount: '5',
    });
    expect(one(plan, T.cluster).inputs).toMatchObject({
      masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: '198.51.100.7/32' }, { cidrBlock: '192.0.2.0/24' }] },
    });
    expect(one(plan, T.nodePool).inputs).toMatchObject({ initialNodeCount: 1, autoscaling: { minNodeCount: 0, maxNodeCount: 5 } });
  });

  test.each(['dev', 'prod'] as const)('%s passes every policy', (profile) => {
    expect(policyFailures((profile === 'dev' ? dev : prod).plan)).toEqual([]);
  });
});
