import { checkManifests } from '../../k8s/checks';
import { checkSchema } from '../../k8s/checks/schema';
import { synthCharts } from '../../k8s/synth';
import { one } from './manifests';

const [webApp, orderProcessing] = synthCharts().map((c) => c.manifests);
const deployment = one(webApp, 'Deployment', 'web-app');

/** A deep copy of `manifest` changed by `edit`, so each test starts from the real synthesized object. */
function edited<T extends Record<string, any>>(manifest: T, edit: (m: T) => void): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  const copy = structuredClone(manifest);
  edit(copy);
  return copy;
}

function failures(manifest: Record<string, unknown>, check: 'schema' | 'schema-strict'): { field: string; message: string }[] {
  return checkSchema(manifest)
    .filter((r) => r.check === check && !r.pass)
    .map(({ field, message }) => ({ field, message }));
}

test('every synthesized object of both charts is valid and defines only known fields', () => {
  const results = checkManifests([...webApp, ...orderProcessing]).filter((r) => r.check.startsWith('schema'));
  expect(results.filter((r) => !r.pass)).toEqual([]);
  expect(results).toHaveLength(2 * (webApp.length + orderProcessing.length));
});

describe('the strict pass rejects misspelled fields at every depth', () => {
  test.each([
    ['metadata', (m: any) => (m.metadata.lables = { app: 'x' }), 'metadata.lables'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['spec', (m: any) => (m.spec.replicass = 2), 'spec.replicass'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['pod spec', (m: any) => (m.spec.template.spec.automountServiceAcountToken = false), 'spec.template.spec.automountServiceAcountToken'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['container', (m: any) => (m.spec.template.spec.containers[0].imagee = 'nginx:1'), 'spec.template.spec.containers[0].imagee'], // eslint-disable-line @typescript-eslint/no-explicit-any
    [
      'security context',
      (m: any) => (m.spec.template.spec.containers[0].securityContext.runAsNonRot = true), // eslint-disable-line @typescript-eslint/no-explicit-any
      'spec.template.spec.containers[0].securityContext.runAsNonRot',
    ],
    [
      'capabilities',
      (m: any) => (m.spec.template.spec.containers[0].securityContext.capabilities.dropp = ['ALL']), // eslint-disable-line @typescript-eslint/no-explicit-any
      'spec.template.spec.containers[0].securityContext.capabilities.dropp',
    ],
    ['probe action', (m: any) => (m.spec.template.spec.containers[0].livenessProbe.httpGet.pathh = '/'), 'spec.template.spec.containers[0].livenessProbe.httpGet.pathh'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['volume', (m: any) => (m.spec.template.spec.volumes[0].emptyDirr = {}), 'spec.template.spec.volumes[0].emptyDirr'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['resources', (m: any) => (m.spec.template.spec.containers[0].resources.limit = { cpu: '1' }), 'spec.template.spec.containers[0].resources.limit'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ])('in the %s', (_where, edit, field) => {
    const bad = edited(deployment, edit);
    expect(failures(bad, 'schema-strict')).toEqual([{ field, message: expect.stringMatching(/is not a field of apps\/v1 Deployment at this place \(misspelled\?\)$/) }]);
    // The upstream validator alone accepts every one of these: this is the gap the strict pass closes.
    expect(failures(bad, 'schema')).toEqual([]);
  });

  test('in other kinds too: a NetworkPolicy peer and a StatefulSet claim template', () => {
    const policy = orderProcessing.find((m) => m.kind === 'NetworkPolicy' && m.spec.ingress)!;
    expect(failures(edited(policy, (p) => (p.spec.ingress[0].from[0].podSelectr = {})), 'schema-strict').map((f) => f.field)).toEqual(['spec.ingress[0].from[0].podSelectr']);
    const kafka = one(orderProcessing, 'StatefulSet', 'kafka');
    expect(failures(edited(kafka, (k) => (k.spec.volumeClaimTemplates[0].spec.storageClass = 'fast')), 'schema-strict').map((f) => f.field)).toEqual([
      'spec.volumeClaimTemplates[0].spec.storageClass',
    ]);
  });

  test('keys of free-form maps (labels, annotations, ConfigMap data) are not fields and pass', () => {
    const labelled = edited(deployment, (m) => {
      m.metadata.labels['anything.example.com/whatever'] = 'x';
      m.spec.template.metadata.annotations['note'] = 'y';
    });
    expect(failures(labelled, 'schema-strict')).toEqual([]);
    expect(failures(one(orderProcessing, 'ConfigMap', 'kafka-config'), 'schema-strict')).toEqual([]);
  });

  test('a field added after Kubernetes 1.28 is refused, though the newer kubernetes-models schema knows it', () => {
    const apparmor = edited(deployment, (m) => (m.spec.template.spec.containers[0].securityContext.appArmorProfile = { type: 'RuntimeDefault' }));
    expect(failures(apparmor, 'schema')).toEqual([]);
    expect(failures(apparmor, 'schema-strict')).toEqual([
      {
        field: 'spec.template.spec.containers[0].securityContext.appArmorProfile',
        message: 'appArmorProfile is not in the Kubernetes 1.28 schema of Deployment: it appeared in a later version, and a 1.28 API server refuses it',
      },
    ]);
    const service = edited(one(webApp, 'Service', 'web-app'), (s) => (s.spec.trafficDistribution = 'PreferClose'));
    expect(failures(service, 'schema-strict').map((f) => f.field)).toEqual(['spec.trafficDistribution']);
  });

  test('field names are case-sensitive, as the API server decodes them: clusterIp is not clusterIP', () => {
    const typo = edited(one(orderProcessing, 'Service', 'kafka-headless'), (m) => {
      m.spec.clusterIp = m.spec.clusterIP;
      delete m.spec.clusterIP;
    });
    expect(failures(typo, 'schema-strict')).toEqual([{ field: 'spec.clusterIp', message: 'clusterIp is not spelled as the API spells it: field names are case-sensitive' }]);
  });

  test('a 1.28 field passes: native sidecars (an init container with restartPolicy Always)', () => {
    const sidecar = edited(deployment, (m) => (m.spec.template.spec.initContainers = [{ ...m.spec.template.spec.containers[0], name: 'sidecar', restartPolicy: 'Always' }]));
    expect(failures(sidecar, 'schema-strict')).toEqual([]);
  });

  test('fields the API spells differently from their generated property (clusterIP, hostIPC) are recognised', () => {
    const headless = one(orderProcessing, 'Service', 'kafka-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(failures(headless, 'schema-strict')).toEqual([]);
    expect(failures(edited(deployment, (m) => (m.spec.template.spec.hostIPC = false)), 'schema-strict')).toEqual([]);
  });
});

describe('the schema pass reports types, required fields and unknown kinds', () => {
  test('a wrong type names the field and the expected type', () => {
    expect(failures(edited(deployment, (m) => (m.spec.replicas = 'three')), 'schema')).toContainEqual({ field: 'spec.replicas', message: 'must be integer' });
  });

  test('a missing required field names its parent', () => {
    expect(failures(edited(deployment, (m) => delete m.spec.selector), 'schema')).toEqual([{ field: 'spec', message: 'must have required property selector' }]);
    expect(failures(edited(deployment, (m) => delete m.spec.template.spec.containers[0].name), 'schema')).toEqual([
      { field: 'spec.template.spec.containers[0]', message: 'must have required property name' },
    ]);
  });

  test('an object too malformed to read reports the schema errors, and strictness waits for them', () => {
    const broken = edited(deployment, (m) => (m.spec.template.spec.containers = 'web'));
    expect(failures(broken, 'schema')).toContainEqual({ field: 'spec.template.spec.containers', message: 'must be array' });
    expect(failures(broken, 'schema-strict')).toEqual([{ field: '', message: 'cannot be read as a Kubernetes 1.28 object: fix the schema errors first' }]);
  });

  test('a kind without a schema fails both passes rather than passing unseen', () => {
    const unknown = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(checkSchema(unknown).map((r) => [r.check, r.pass])).toEqual([
      ['schema', false],
      ['schema-strict', false],
    ]);
    expect(checkSchema(edited(deployment, (m) => (m.kind = 'Deploymnt')))[0].message).toMatch(/^no Kubernetes 1.28 schema for apiVersion apps\/v1 kind Deploymnt/);
  });
});
