import { Yaml } from 'cdk8s';
import { synthCharts } from '../../k8s/synth';
import { allowedFlows, failedChecks, mainContainer, ofKind, one, podSpec } from './manifests';

const webApp = (profile: 'dev' | 'prod') => synthCharts({ profile }).find((c) => c.chart === 'web-app')!.manifests;
const dev = webApp('dev');
const prod = webApp('prod');

describe.each([
  ['dev', dev],
  ['prod', prod],
])('web-app (%s)', (_profile, manifests) => {
  test('matches the reviewed YAML', () => {
    expect(Yaml.stringify(...manifests)).toMatchSnapshot();
  });

  test('passes the whole gate: strict schema and every policy', () => {
    expect(failedChecks(manifests)).toEqual([]);
  });

  test('lives in its own namespace that enforces Pod Security restricted', () => {
    const namespace = one(manifests, 'Namespace', 'web-app');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(manifests.filter((m) => m.kind !== 'Namespace').every((m) => m.metadata.namespace === 'web-app')).toBe(true);
    expect(manifests[0]).toBe(namespace);
  });

  test('the Service selects the pods and targets the container port by number', () => {
    const deployment = one(manifests, 'Deployment', 'web-app');
    const service = one(manifests, 'Service', 'web-app');
    expect(service.spec.type).toBe('ClusterIP');
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
    expect(mainContainer(deployment).ports).toEqual([{ containerPort: 8080, name: 'http' }]);
  });

  test('its own Gateway (class eg, Envoy Gateway) listens for its host only and admits routes from its namespace only', () => {
    const gateway = one(manifests, 'Gateway', 'web-app');
    expect(gateway.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gateway.spec.gatewayClassName).toBe('eg');
    for (const listener of gateway.spec.listeners) {
      expect(listener).toMatchObject({ hostname: 'web-app.localhost', allowedRoutes: { namespaces: { from: 'Same' } } });
    }
  });

  test('an HTTPRoute sends every path of the host to the Service port', () => {
    expect(one(manifests, 'HTTPRoute', 'web-app').spec).toEqual({
      parentRefs: [{ name: 'web-app', sectionName: _profile === 'prod' ? 'https' : 'http' }],
      hostnames: ['web-app.localhost'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web-app', port: 80 }] }],
    });
  });

  test('readiness and liveness ask /health on the container port', () => {
    const container = mainContainer(one(manifests, 'Deployment', 'web-app'));
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container[probe].httpGet).toEqual({ path: '/health', port: 8080, scheme: 'HTTP' });
    }
  });

  test('nginx serves /health and the page from the ConfigMap, mounted read-only, with /tmp the only writable path', () => {
    const config = one(manifests, 'ConfigMap', 'web-app-site');
    expect(config.data['default.conf']).toContain('listen 8080;');
    expect(config.data['default.conf']).toContain('location = /health');
    expect(config.data['index.html']).toContain('Hello from iac-lab-kit on Kubernetes');
    const deployment = one(manifests, 'Deployment', 'web-app');
    expect(mainContainer(deployment).volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'scratch-tmp' },
      { mountPath: '/etc/nginx/conf.d', name: 'site-config', readOnly: true },
      { mountPath: '/usr/share/nginx/html', name: 'site-pages', readOnly: true },
    ]);
    expect(podSpec(deployment).volumes.filter((v: { configMap?: { name: string } }) => v.configMap).map((v: { configMap: { name: string } }) => v.configMap.name)).toEqual([
      'web-app-site',
      'web-app-site',
    ]);
  });

  test('runs as the unprivileged nginx user with the restricted security context', () => {
    const container = mainContainer(one(manifests, 'Deployment', 'web-app'));
    expect(container.image).toBe('nginxinc/nginx-unprivileged:1.29.4-alpine');
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 101,
      runAsNonRoot: true,
      runAsUser: 101,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(podSpec(one(manifests, 'Deployment', 'web-app')).automountServiceAccountToken).toBe(false);
  });

  test('the autoscaler owns the replica count and scales the Deployment on CPU', () => {
    const deployment = one(manifests, 'Deployment', 'web-app');
    const hpa = one(manifests, 'HorizontalPodAutoscaler', 'web-app');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-app' });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  });

  test('the disruption budget selects the pods and lets one go at a time', () => {
    const budget = one(manifests, 'PodDisruptionBudget', 'web-app');
    expect(budget.spec).toEqual({ maxUnavailable: 1, selector: one(manifests, 'Deployment', 'web-app').spec.selector });
  });

  test('network: everything denied, except the gateway\'s proxies reaching nginx on 8080; no egress at all', () => {
    const denyAll = one(manifests, 'NetworkPolicy', 'default-deny-all');
    expect(denyAll.spec).toEqual({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] });
    expect(allowedFlows(manifests)).toEqual(['ns:envoy-gateway-system -> web-app:8080/TCP']);
    expect(ofKind(manifests, 'NetworkPolicy').flatMap((p) => p.spec.egress ?? [])).toEqual([]);
  });
});

test('dev serves plain HTTP; prod terminates HTTPS with the web-app-tls Secret and redirects HTTP to it', () => {
  expect(one(dev, 'Gateway', 'web-app').spec.listeners).toEqual([
    { name: 'http', protocol: 'HTTP', port: 80, hostname: 'web-app.localhost', allowedRoutes: { namespaces: { from: 'Same' } } },
  ]);
  expect(ofKind(dev, 'HTTPRoute').map((r) => r.metadata.name)).toEqual(['web-app']);
  expect(one(prod, 'Gateway', 'web-app').spec.listeners.map((l: { name: string; port: number; tls?: unknown }) => [l.name, l.port, l.tls])).toEqual([
    ['http', 80, undefined],
    ['https', 443, { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'web-app-tls' }] }],
  ]);
  expect(one(prod, 'HTTPRoute', 'web-app-https-redirect').spec).toEqual({
    parentRefs: [{ name: 'web-app', sectionName: 'http' }],
    hostnames: ['web-app.localhost'],
    rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
  });
});

test('behind a cloud load balancer (GKE) the front end admits the balancer\'s source ranges instead of proxy pods', () => {
  const gke = synthCharts({ profile: 'prod', overrides: { gatewayClass: 'gke-l7-global-external-managed', gatewaySourceRanges: '35.191.0.0/16,130.211.0.0/22' } })
    .find((c) => c.chart === 'web-app')!.manifests;
  expect(one(gke, 'Gateway', 'web-app').spec.gatewayClassName).toBe('gke-l7-global-external-managed');
  expect(allowedFlows(gke)).toEqual(['*130.211.0.0/22 -> web-app:8080/TCP', '*35.191.0.0/16 -> web-app:8080/TCP']);
  expect(failedChecks(gke)).toEqual([]);
});

test('dev runs one small replica that may grow to 3; prod runs at least 3 and up to 10', () => {
  const range = (m: typeof dev) => one(m, 'HorizontalPodAutoscaler', 'web-app').spec;
  expect([range(dev).minReplicas, range(dev).maxReplicas]).toEqual([1, 3]);
  expect([range(prod).minReplicas, range(prod).maxReplicas]).toEqual([3, 10]);
  expect(mainContainer(one(dev, 'Deployment', 'web-app')).resources).toEqual({ limits: { cpu: '200m', memory: '64Mi' }, requests: { cpu: '50m', memory: '32Mi' } });
});

test('dev replicas prefer different nodes and zones, never require them (a one-node cluster must still run them)', () => {
  const affinity = podSpec(one(dev, 'Deployment', 'web-app')).affinity;
  expect(affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
  expect(affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.map((t: { podAffinityTerm: { topologyKey: string } }) => t.podAffinityTerm.topologyKey)).toEqual([
    'kubernetes.io/hostname',
    'topology.kubernetes.io/zone',
  ]);
});

test('prod replicas require different nodes (a node lost or drained takes one at most) and prefer different zones', () => {
  const affinity = podSpec(one(prod, 'Deployment', 'web-app')).affinity;
  expect(affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
    { labelSelector: { matchLabels: one(prod, 'Deployment', 'web-app').spec.selector.matchLabels }, namespaces: ['web-app'], topologyKey: 'kubernetes.io/hostname' },
  ]);
  expect(affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.map((t: { podAffinityTerm: { topologyKey: string } }) => t.podAffinityTerm.topologyKey)).toEqual([
    'topology.kubernetes.io/zone',
  ]);
});

test('a changed page changes the pod template, so kubectl apply rolls the pods', () => {
  const changed = synthCharts({ overrides: { webMessage: 'Changed' } }).find((c) => c.chart === 'web-app')!.manifests;
  const annotation = (m: typeof dev) => one(m, 'Deployment', 'web-app').spec.template.metadata.annotations['iac-lab-kit/config-sha256'];
  expect(one(changed, 'ConfigMap', 'web-app-site').data['index.html']).toContain('<h1>Changed</h1>');
  expect(annotation(changed)).toMatch(/^[a-f0-9]{64}$/);
  expect(annotation(changed)).not.toBe(annotation(dev));
});

test('synthesis is deterministic within a process', () => {
  expect(webApp('dev')).toEqual(dev);
});
