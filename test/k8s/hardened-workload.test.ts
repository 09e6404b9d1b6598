import { App, Chart } from 'cdk8s';
import { checkManifests } from '../../k8s/checks';
import { resolveConfig } from '../../k8s/config';
import { HardenedWorkload, HardenedWorkloadProps } from '../../k8s/hardened-workload';
import { mainContainer, ofKind, one, podSpec } from './manifests';

const settings = resolveConfig('dev').orderProcessing.validator;

/** The objects one HardenedWorkload synthesizes, alone in a chart. */
function synth(props: Partial<HardenedWorkloadProps> = {}): ReturnType<Chart['toJson']> {
  const chart = new Chart(new App(), 'test');
  new HardenedWorkload(chart, 'Api', {
    name: 'api',
    component: 'backend',
    namespace: 'lab',
    settings,
    ports: [{ number: 8080, name: 'http' }],
    readiness: { httpGet: '/ready', port: 8080 },
    liveness: { httpGet: '/health', port: 8080 },
    ...props,
  });
  return chart.toJson();
}

const deployment = synth();
const grpc = synth({ readiness: { grpc: 9000 }, liveness: { grpc: 9000 } });
const stateful = synth({ persistentVolume: { name: 'data', mountPath: '/data', sizeMebibytes: 1024, retain: false }, user: 999, settings: { ...settings, replicas: 3 } });
const autoscaled = synth({ autoscaling: { maxReplicas: 5, cpuUtilization: 60 }, allowDns: false });

test('what cdk8s-plus-28 leaves out is set: capabilities, seccomp, small requests, isolation, probes', () => {
  const container = mainContainer(one(deployment, 'Deployment', 'api'));
  expect(container.securityContext).toEqual({
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsGroup: 65532,
    runAsNonRoot: true,
    runAsUser: 65532,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '250m', memory: '192Mi' } });
  expect(container.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
  expect(container.livenessProbe).toEqual({ httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, periodSeconds: 20, timeoutSeconds: 10, failureThreshold: 3 });
  expect(container.startupProbe).toMatchObject({ httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 12 });
  expect(container.imagePullPolicy).toBe('IfNotPresent');
  expect(podSpec(one(deployment, 'Deployment', 'api'))).toMatchObject({
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, fsGroup: 65532, fsGroupChangePolicy: 'OnRootMismatch' },
  });
});

test('every variant passes the pod policies of the gate', () => {
  for (const manifests of [deployment, grpc, stateful, autoscaled]) {
    const failed = checkManifests(manifests).filter((r) => !r.pass && !['service-targets', 'schema', 'schema-strict'].includes(r.check));
    expect(failed).toEqual([]);
  }
});

test('pods start isolated, with a disruption budget on the same selector', () => {
  const selector = one(deployment, 'Deployment', 'api').spec.selector;
  const policies = ofKind(deployment, 'NetworkPolicy');
  expect(policies.find((p) => !p.spec.egress && !p.spec.ingress)!.spec).toEqual({ podSelector: selector, policyTypes: ['Egress', 'Ingress'] });
  expect(one(deployment, 'PodDisruptionBudget', 'api').spec).toEqual({ maxUnavailable: 1, selector });
});

test('DNS is the one egress allowed by default: the kube-dns pods by label, and GKE\'s two link-local resolvers as /32s; allowDns false removes it', () => {
  const ports = [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }];
  expect(ofKind(deployment, 'NetworkPolicy').flatMap((p) => p.spec.egress ?? [])).toEqual([
    { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports },
    { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports },
    { to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports },
  ]);
  // Only this workload's namespace gets policies: one in kube-system would cut DNS for everyone there.
  expect(ofKind(deployment, 'NetworkPolicy').map((p) => p.metadata.namespace)).not.toContain('kube-system');
  expect(ofKind(autoscaled, 'NetworkPolicy').flatMap((p) => p.spec.egress ?? [])).toEqual([]);
});

test('pods get no service-link variables', () => {
  expect(podSpec(one(deployment, 'Deployment', 'api')).enableServiceLinks).toBe(false);
});

test('gRPC checks become gRPC probes, replacing the TCP startup probe cdk8s-plus would add', () => {
  const container = mainContainer(one(grpc, 'Deployment', 'api'));
  expect(container.readinessProbe).toEqual({ grpc: { port: 9000 }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
  expect(container.livenessProbe).toEqual({ grpc: { port: 9000 }, periodSeconds: 20, timeoutSeconds: 10, failureThreshold: 3 });
  expect(container.startupProbe).toEqual({ grpc: { port: 9000 }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 12 });
});

test('/tmp is always a writable emptyDir, so a read-only root does not break temp files', () => {
  for (const manifests of [deployment, stateful]) {
    const workload = manifests.find((m) => m.spec?.template)!;
    expect(mainContainer(workload).volumeMounts[0]).toEqual({ mountPath: '/tmp', name: 'scratch-tmp' });
    expect(podSpec(workload).volumes[0]).toEqual({ name: 'scratch-tmp', emptyDir: { sizeLimit: '256Mi' } });
  }
});

test('a persistent volume makes a StatefulSet with a claim per pod, a headless Service and the volume mounted', () => {
  const set = one(stateful, 'StatefulSet', 'api');
  expect(set.spec.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }]);
  expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Delete' });
  expect(mainContainer(set).volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
  expect(podSpec(set).volumes ?? []).not.toContainEqual(expect.objectContaining({ name: 'data' }));
  expect(one(stateful, 'Service', 'api-headless').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 8080, targetPort: 8080, name: 'http' }] });
  expect(set.spec).toMatchObject({ replicas: 3, serviceName: 'api-headless', podManagementPolicy: 'Parallel' });
  expect(mainContainer(set).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999 });
});

test('an autoscaled workload leaves replicas to its CPU autoscaler and prefers spreading', () => {
  const workload = one(autoscaled, 'Deployment', 'api');
  expect(workload.spec.replicas).toBeUndefined();
  expect(one(autoscaled, 'HorizontalPodAutoscaler', 'api').spec).toMatchObject({
    minReplicas: 1,
    maxReplicas: 5,
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
  });
  expect(one(deployment, 'Deployment', 'api').spec.replicas).toBe(1);
  expect(Object.keys(podSpec(workload).affinity.podAntiAffinity)).toEqual(['preferredDuringSchedulingIgnoredDuringExecution']);
  expect(podSpec(one(deployment, 'Deployment', 'api')).affinity).toBeUndefined();
});
