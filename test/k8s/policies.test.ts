import { ConfigError } from '../../common/config';
import { CHECKS, CheckId, checkManifests, formatReport, loadManifestFiles } from '../../k8s/checks';
import { selects } from '../../k8s/checks/manifest';
import { synthCharts } from '../../k8s/synth';

type Manifests = ReturnType<typeof synthCharts>[number]['manifests'];
type Manifest = Manifests[number];

const [webApp, orderProcessing] = synthCharts().map((c) => c.manifests);
const CONTAINER = 'spec.template.spec.containers[0]';

/** The web-app manifests with its Deployment (or the whole list) changed by `edit`. */
function withDeployment(edit: (deployment: Manifest, all: Manifests) => void): Manifests {
  const copy = structuredClone(webApp);
  edit(copy.find((m) => m.kind === 'Deployment')!, copy);
  return copy;
}

function failuresOf(manifests: Manifests, check: CheckId): { object: string; field: string; message: string }[] {
  return checkManifests(manifests)
    .filter((r) => r.check === check && !r.pass)
    .map((r) => ({ object: `${r.object.kind} ${r.object.namespace ?? ''}/${r.object.name}`, field: r.field, message: r.message }));
}

const DEPLOYMENT = 'Deployment web-app/web-app';

const BAD: [CheckId, Manifests, { object: string; field: string; message: string }][] = [
  ['schema', withDeployment((d) => (d.spec.replicas = '3')), { object: DEPLOYMENT, field: 'spec.replicas', message: 'must be integer' }],
  [
    'schema-strict',
    withDeployment((d) => (d.spec.template.spec.containers[0].imagee = 'nginx:1.27')),
    { object: DEPLOYMENT, field: `${CONTAINER}.imagee`, message: 'imagee is not a field of apps/v1 Deployment at this place (misspelled?)' },
  ],
  ['pss-baseline', withDeployment((d) => (d.spec.template.spec.hostNetwork = true)), { object: DEPLOYMENT, field: 'spec.template.spec.hostNetwork', message: "hostNetwork shares the node's namespace with the pod" }],
  [
    'pss-run-as-non-root',
    withDeployment((d) => {
      delete d.spec.template.spec.securityContext.runAsNonRoot;
      delete d.spec.template.spec.containers[0].securityContext.runAsNonRoot;
    }),
    { object: DEPLOYMENT, field: `${CONTAINER}.securityContext.runAsNonRoot`, message: 'container web-app may run as root: set runAsNonRoot true on it or on the pod' },
  ],
  [
    'pss-privilege-escalation',
    withDeployment((d) => (d.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true)),
    { object: DEPLOYMENT, field: `${CONTAINER}.securityContext.allowPrivilegeEscalation`, message: 'container web-app must set allowPrivilegeEscalation false' },
  ],
  [
    'pss-capabilities',
    withDeployment((d) => (d.spec.template.spec.containers[0].securityContext.capabilities = { drop: ['NET_RAW'] })),
    { object: DEPLOYMENT, field: `${CONTAINER}.securityContext.capabilities.drop`, message: 'container web-app must drop ALL capabilities' },
  ],
  [
    'pss-seccomp',
    withDeployment((d) => (d.spec.template.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' })),
    { object: DEPLOYMENT, field: `${CONTAINER}.securityContext.seccompProfile.type`, message: 'container web-app needs seccomp profile RuntimeDefault or Localhost (has Unconfined)' },
  ],
  [
    'pss-volume-types',
    withDeployment((d) => d.spec.template.spec.volumes.push({ name: 'host', hostPath: { path: '/var/run' } })),
    { object: DEPLOYMENT, field: 'spec.template.spec.volumes[3]', message: 'volume host is of type hostPath, which restricted pods may not use' },
  ],
  [
    'read-only-root-filesystem',
    withDeployment((d) => (d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false)),
    { object: DEPLOYMENT, field: `${CONTAINER}.securityContext.readOnlyRootFilesystem`, message: 'container web-app can write to its root filesystem' },
  ],
  ['resources', withDeployment((d) => delete d.spec.template.spec.containers[0].resources.limits.memory), { object: DEPLOYMENT, field: `${CONTAINER}.resources.limits.memory`, message: 'container web-app has no memory limit' }],
  ['probes', withDeployment((d) => delete d.spec.template.spec.containers[0].livenessProbe), { object: DEPLOYMENT, field: `${CONTAINER}.livenessProbe`, message: 'container web-app has no livenessProbe' }],
  [
    'image-pinned',
    withDeployment((d) => (d.spec.template.spec.containers[0].image = 'nginxinc/nginx-unprivileged:latest')),
    { object: DEPLOYMENT, field: `${CONTAINER}.image`, message: 'container web-app image nginxinc/nginx-unprivileged:latest is not pinned: name a version tag or a digest' },
  ],
  [
    'service-account-token',
    withDeployment((d) => delete d.spec.template.spec.automountServiceAccountToken),
    {
      object: DEPLOYMENT,
      field: 'spec.template.spec.automountServiceAccountToken',
      message: 'pods get a Kubernetes API token they do not need: set false, or annotate iac-lab-kit/needs-kubernetes-api with the reason',
    },
  ],
  [
    'secret-env',
    withDeployment((d) => (d.spec.template.spec.containers[0].env = [{ name: 'DB_PASSWORD', value: 'hunter2' }])),
    { object: DEPLOYMENT, field: `${CONTAINER}.env[0].value`, message: 'container web-app sets DB_PASSWORD to a literal value: take it from a Secret (valueFrom.secretKeyRef)' },
  ],
  [
    'pod-disruption-budget',
    withDeployment((_d, all) => all.splice(all.findIndex((m) => m.kind === 'PodDisruptionBudget'), 1)),
    { object: DEPLOYMENT, field: 'spec.template.metadata.labels', message: 'up to 3 replicas and no PodDisruptionBudget selects its pods: a node drain may evict them all at once' },
  ],
  [
    'network-policy',
    withDeployment((_d, all) => all.splice(0, all.length, ...all.filter((m) => m.kind !== 'NetworkPolicy' || !m.spec.policyTypes.includes('Egress')))),
    { object: DEPLOYMENT, field: 'spec.template.metadata.labels', message: 'no NetworkPolicy governs egress traffic of these pods: every flow is open' },
  ],
  [
    'probe-purpose',
    // The web server's one check serves both probes; once its pods may call an API, that is wrong.
    withDeployment((d, all) =>
      all.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web-app-to-api', namespace: 'web-app' },
        spec: {
          podSelector: { matchLabels: d.spec.template.metadata.labels },
          policyTypes: ['Egress'],
          egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
        },
      }),
    ),
    {
      object: DEPLOYMENT,
      field: `${CONTAINER}.livenessProbe`,
      message:
        'container web-app asks the same in its liveness and readiness probes, and its pods depend on app=api: when one is down the kubelet restarts pods that only need to wait. ' +
        'Let liveness check the process alone (e.g. /healthz) and readiness its dependencies (/readyz)',
    },
  ],
  [
    'service-targets',
    withDeployment((_d, all) => (all.find((m) => m.kind === 'Service')!.spec.ports[0].targetPort = 8081)),
    { object: 'Service web-app/web-app', field: 'spec.ports[0].targetPort', message: 'target port 8081 is not a port of the selected pods (web-app)' },
  ],
  [
    'service-links',
    withDeployment((d) => delete d.spec.template.spec.enableServiceLinks),
    {
      object: DEPLOYMENT,
      field: 'spec.template.spec.enableServiceLinks',
      message: "enableServiceLinks is not false: Kubernetes adds a <SERVICE>_PORT=tcp://... variable per Service in the namespace, which can clash with the app's own (RABBITMQ_PORT)",
    },
  ],
  [
    'secret-config-map',
    withDeployment((_d, all) => (all.find((m) => m.kind === 'ConfigMap')!.data.DB_PASSWORD = 'hunter2')),
    { object: 'ConfigMap web-app/web-app-site', field: 'data.DB_PASSWORD', message: 'key DB_PASSWORD looks like a credential: put it in a Secret (mounted as a file), and keep only its path here' },
  ],
  [
    'references',
    withDeployment((_d, all) => (all.find((m) => m.kind === 'HorizontalPodAutoscaler')!.spec.scaleTargetRef.name = 'web')),
    { object: 'HorizontalPodAutoscaler web-app/web-app', field: 'spec.scaleTargetRef', message: 'scales Deployment web, which these manifests do not define' },
  ],
  [
    'api-server',
    // A learner's second volume mounted at the path the first one already uses.
    withDeployment((d) => {
      const [first] = d.spec.template.spec.containers[0].volumeMounts;
      d.spec.template.spec.volumes.push({ name: 'extra', emptyDir: {} });
      d.spec.template.spec.containers[0].volumeMounts.push({ name: 'extra', mountPath: first.mountPath });
    }),
    { object: DEPLOYMENT, field: `${CONTAINER}.volumeMounts[3].mountPath`, message: 'two volumes are mounted at /tmp in container web-app: the API server refuses it (must be unique)' },
  ],
  [
    'fit',
    synthCharts({ overrides: { kafkaCpuRequest: '1', rabbitmqCpuRequest: '500m' } })[1].manifests,
    { object: 'Chart /order-processing', field: '', message: 'dev pods request 1750m CPU and 1504Mi memory: more than the 1500m CPU a 2-CPU node can spare' },
  ],
];

test('every check of the catalogue has a failing case below', () => {
  expect(BAD.map(([id]) => id).sort()).toEqual(Object.keys(CHECKS).sort());
});

test.each(BAD)('%s fails on a bad manifest, naming the object and field', (check, manifests, expected) => {
  expect(failuresOf(manifests, check)).toEqual([expected]);
});

test('the good charts produce one passing result per check and object, and every check applies somewhere', () => {
  const results = checkManifests(orderProcessing);
  expect(results.filter((r) => !r.pass)).toEqual([]);
  expect(new Set(results.map((r) => r.check))).toEqual(new Set(Object.keys(CHECKS)));
  const keys = results.map((r) => `${r.check} ${r.object.kind} ${r.object.name}`);
  expect(new Set(keys).size).toBe(keys.length);
});

test('the fit check adds up every replica the dev profile starts, and memory separately', () => {
  const fit = checkManifests(orderProcessing).find((r) => r.check === 'fit')!;
  expect(fit).toMatchObject({ pass: true, object: { kind: 'Chart', name: 'order-processing' }, message: 'dev pods request 700m CPU and 1504Mi memory, within 1500m CPU and 3Gi' });
  expect(checkManifests(synthCharts({ profile: 'prod' })[1].manifests).some((r) => r.check === 'fit')).toBe(false);
  const threeFrontends = synthCharts({ overrides: { frontendReplicas: 3, frontendMemoryRequest: '256Mi', kafkaMemoryRequest: '2Gi', kafkaMemoryLimit: '2Gi' } })[1].manifests;
  expect(failuresOf(threeFrontends, 'fit')).toEqual([
    { object: 'Chart /order-processing', field: '', message: 'dev pods request 900m CPU and 3424Mi memory: more than the 3Gi a 4 GiB node can spare' },
  ]);
});

test('one replica needs no disruption budget; an autoscaled one does, even at minimum 1', () => {
  const fixed = structuredClone(orderProcessing).filter((m) => m.kind !== 'PodDisruptionBudget');
  expect(failuresOf(fixed, 'pod-disruption-budget')).toEqual([]);
  expect(failuresOf(withDeployment((_d, all) => all.splice(all.findIndex((m) => m.kind === 'PodDisruptionBudget'), 1)), 'pod-disruption-budget')).toHaveLength(1);
});

test('run-to-completion Jobs need no probes; long-running pods do', () => {
  const deployment = webApp.find((m) => m.kind === 'Deployment')!;
  const template = structuredClone(deployment.spec.template);
  delete template.spec.containers[0].readinessProbe;
  delete template.spec.containers[0].livenessProbe;
  template.spec.restartPolicy = 'Never';
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'web-app' }, spec: { template } };
  expect(failuresOf([job], 'probes')).toEqual([]);
  expect(failuresOf([{ ...job, kind: 'Pod', apiVersion: 'v1', spec: template.spec }], 'probes')).toHaveLength(2);
});

test('a pod template annotated with its reason may mount an API token', () => {
  const needsApi = withDeployment((d) => {
    d.spec.template.spec.automountServiceAccountToken = true;
    d.spec.template.metadata.annotations['iac-lab-kit/needs-kubernetes-api'] = 'lists endpoints for peer discovery';
  });
  expect(failuresOf(needsApi, 'service-account-token')).toEqual([]);
});

test.each<[string, Manifests, string]>([
  ['a repeated container name', withDeployment((d) => d.spec.template.spec.containers.push(structuredClone(d.spec.template.spec.containers[0]))), `container name web-app is used twice in the pod`],
  ['a repeated volume name', withDeployment((d) => d.spec.template.spec.volumes.push(structuredClone(d.spec.template.spec.volumes[0]))), 'is declared twice'],
  ['a mount of an undeclared volume', withDeployment((d) => d.spec.template.spec.containers[0].volumeMounts.push({ name: 'cache', mountPath: '/cache' })), 'mounts volume cache, which the pod does not declare'],
  ['a repeated port name', withDeployment((d) => d.spec.template.spec.containers[0].ports.push({ ...d.spec.template.spec.containers[0].ports[0], containerPort: 9090 })), 'is used twice in container web-app'],
  ['a selector that misses the template', withDeployment((d) => (d.spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'other' } })), 'the selector does not match the pod template\'s labels'],
])('api-server: %s is refused, as kubectl apply would refuse it', (_case, manifests, message) => {
  expect(failuresOf(manifests, 'api-server').map((f) => f.message)).toEqual([expect.stringContaining(message)]);
});

test.each<[string, Manifests, string]>([
  ['an unsafe sysctl', withDeployment((d) => (d.spec.template.spec.securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1024' }])), 'sysctl net.core.somaxconn is not in the safe set'],
  ['an unmasked /proc', withDeployment((d) => (d.spec.template.spec.containers[0].securityContext.procMount = 'Unmasked')), 'unmasks /proc'],
  ['an SELinux type outside the container ones', withDeployment((d) => (d.spec.template.spec.securityContext.seLinuxOptions = { type: 'spc_t' })), 'sets SELinux type spc_t'],
  ['an SELinux user', withDeployment((d) => (d.spec.template.spec.containers[0].securityContext.seLinuxOptions = { user: 'system_u' })), 'sets an SELinux user or role'],
  ['an unconfined AppArmor profile', withDeployment((d) => (d.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/web-app': 'unconfined' })), 'AppArmor profile unconfined'],
  ['a Windows HostProcess container', withDeployment((d) => (d.spec.template.spec.securityContext.windowsOptions = { hostProcess: true })), 'Windows HostProcess container'],
])('pss-baseline: %s is refused', (_case, manifests, message) => {
  expect(failuresOf(manifests, 'pss-baseline').map((f) => f.message)).toEqual([expect.stringContaining(message)]);
});

test.each<[string, (pdb: Manifest) => void, string]>([
  ['maxUnavailable 0', (pdb) => (pdb.spec = { selector: pdb.spec.selector, maxUnavailable: 0 }), 'maxUnavailable 0: it never lets a pod go'],
  ['minAvailable 100%', (pdb) => (pdb.spec = { selector: pdb.spec.selector, minAvailable: '100%' }), 'minAvailable 100%: it never lets a pod go'],
  ['minAvailable at the replica minimum', (pdb) => (pdb.spec = { selector: pdb.spec.selector, minAvailable: 1 }), 'minAvailable 1 with 1 replica(s): it never lets a pod go'],
])('pod-disruption-budget: a budget with %s, which blocks every drain, is refused', (_case, edit, message) => {
  const manifests = withDeployment((_d, all) => edit(all.find((m) => m.kind === 'PodDisruptionBudget')!));
  expect(failuresOf(manifests, 'pod-disruption-budget').map((f) => f.message)).toEqual([expect.stringContaining(message)]);
});

test('network-policy: a rule with neither peers nor ports, which undoes the default deny, is refused', () => {
  const manifests = withDeployment((_d, all) => all.find((m) => m.kind === 'NetworkPolicy' && m.spec.ingress?.length)!.spec.ingress.push({}));
  expect(failuresOf(manifests, 'network-policy').map((f) => f.message)).toEqual(['allows all ingress traffic (no from, no ports): name the peers and ports the pods need']);
});

test('references: an HTTPRoute routing to a Service, or attached to a Gateway, that does not exist is refused', () => {
  const manifests = withDeployment((_d, all) => {
    const route = all.find((m) => m.kind === 'HTTPRoute')!;
    route.spec.rules[0].backendRefs[0].name = 'web';
    route.spec.parentRefs[0].name = 'public';
  });
  expect(failuresOf(manifests, 'references')).toEqual([
    { object: 'HTTPRoute web-app/web-app', field: 'spec.parentRefs', message: 'attaches to Gateway public, which these manifests do not define' },
    { object: 'HTTPRoute web-app/web-app', field: 'spec.rules', message: 'routes to Service web, which these manifests do not define' },
  ]);
});

test('references: an Ingress routing to a Service that does not exist is refused', () => {
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web-app', namespace: 'web-app' },
    spec: { rules: [{ host: 'web-app.localhost', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  };
  const manifests = withDeployment((_d, all) => all.push(ingress as Manifests[number]));
  expect(failuresOf(manifests, 'references')).toEqual([{ object: 'Ingress web-app/web-app', field: 'spec.rules', message: 'routes to Service web, which these manifests do not define' }]);
});

test('schema: a Gateway API object is validated against its CRD schema, strictly', () => {
  const manifests = withDeployment((_d, all) => {
    const gateway = all.find((m) => m.kind === 'Gateway')!;
    gateway.spec.listeners[0].port = 'eighty';
    gateway.spec.listeners[0].hostName = 'typo';
  });
  expect(failuresOf(manifests, 'schema')).toEqual([{ object: 'Gateway web-app/web-app', field: 'spec.listeners[0].port', message: 'must be integer' }]);
  expect(failuresOf(manifests, 'schema-strict')).toEqual([
    { object: 'Gateway web-app/web-app', field: '', message: 'cannot be read as a Kubernetes 1.28 object: fix the schema errors first' },
  ]);
  const misspelled = withDeployment((_d, all) => (all.find((m) => m.kind === 'Gateway')!.spec.listeners[0].hostName = 'typo'));
  expect(failuresOf(misspelled, 'schema-strict')).toEqual([
    { object: 'Gateway web-app/web-app', field: 'spec.listeners[0].hostName', message: 'hostName is not a field of gateway.networking.k8s.io/v1 Gateway at this place (misspelled?)' },
  ]);
});

test('api-server: an autoscaler whose maxReplicas is below minReplicas is refused', () => {
  const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web-app', namespace: 'web-app' }, spec: { minReplicas: 3, maxReplicas: 2, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-app' } } };
  expect(failuresOf([hpa], 'api-server')).toEqual([
    { object: 'HorizontalPodAutoscaler web-app/web-app', field: 'spec.maxReplicas', message: 'maxReplicas 2 is below minReplicas 3: the API server refuses it (must be greater than or equal to minReplicas)' },
  ]);
});

test('label selectors honour matchLabels and every matchExpressions operator', () => {
  const labels = { app: 'web', tier: 'front' };
  expect(selects({}, labels)).toBe(true);
  expect(selects(undefined, labels)).toBe(false);
  expect(selects({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, labels)).toBe(true);
  expect(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
  expect(selects({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }, { key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
  expect(selects({ matchLabels: { app: 'api' } }, labels)).toBe(false);
});

test('the report names object, check and field of each failure, and totals the results', () => {
  const results = checkManifests(withDeployment((d) => (d.spec.template.spec.containers[0].image = 'nginx')));
  const report = formatReport('web-app (dev)', results);
  expect(report.split('\n')[0]).toBe('web-app (dev)');
  expect(report).toContain('  FAIL  Deployment web-app/web-app  (18/19 checks)');
  expect(report).toContain(`          FAIL  image-pinned               ${CONTAINER}.image: container web-app image nginx is not pinned: name a version tag or a digest`);
  expect(report).toContain('  ok    Service web-app/web-app  (3/3 checks)');
  expect(report.split('\n').at(-1)).toBe(`  12 objects, ${results.length - 1} passed, 1 failed`);
  expect(formatReport('t', results, true)).toContain('          pass  pss-seccomp');
});

test('checking a file that does not exist says which, and how to make it', () => {
  expect(() => loadManifestFiles(['dist/k8s/dev/missing.k8s.yaml'])).toThrow(ConfigError);
  expect(() => loadManifestFiles(['dist/k8s/dev/missing.k8s.yaml'])).toThrow(
    'Invalid file: received "dist/k8s/dev/missing.k8s.yaml"; expected a YAML file of Kubernetes objects.\n  Fix: npm run k8s:synth, then npm run k8s:check -- dist/k8s/dev/web-app.k8s.yaml',
  );
});
