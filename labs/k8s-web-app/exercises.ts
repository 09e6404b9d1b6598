import type { Profile } from '../../common/profiles';
import type { Manifest } from '../../k8s/checks/manifest';
import type { Exercise } from '../cli/lab';
import {
  autoscalersOf,
  configMapFiles,
  describePeer,
  formatPorts,
  manifestsOf,
  named,
  onlyPort,
  peerNamespace,
  portNamesOf,
  rulesFor,
  utilizationTarget,
} from '../cli/manifest-checks';

// What the chart builds with its default settings, which is what a check synthesizes.
const APP = 'web-app';
const SITE = 'web-app-site';
const NGINX_ROOT = '/usr/share/nginx/html';
const NGINX_PORT = 8080;
const GATEWAY_NAMESPACE = 'envoy-gateway-system';
const MONITORING_NAMESPACE = 'monitoring';
const CHART = 'k8s/web-app-chart.ts';

/** The web app's Deployment, or the problem of its absence. */
function deploymentOf(manifests: readonly Manifest[]): Manifest | string {
  return named(manifests, 'Deployment', APP) ?? `there is no Deployment ${APP} any more: the exercise builds on it, restore it in ${CHART}`;
}

/** What is wrong with the About page of one profile's output: absent, or not naming the profile that runs. */
function aboutPageText(manifests: readonly Manifest[], profile: Profile): string | undefined {
  const page = named(manifests, 'ConfigMap', SITE)?.data?.['about.html'];
  if (typeof page !== 'string' || page.trim() === '') return `ConfigMap ${SITE} has no about.html key yet: add the page to \`site\` in ${CHART}`;
  const other = profile === 'dev' ? 'prod' : 'dev';
  if (!new RegExp(`\\b${profile}\\b`).test(page) || new RegExp(`\\b${other}\\b`).test(page)) {
    return `about.html in the ${profile} profile does not say that ${profile} is running: build the page from props.profile, so it names dev in dev and prod in prod`;
  }
  return undefined;
}

function aboutPageProblems(dev: readonly Manifest[], prod: readonly Manifest[]): string[] {
  const devText = aboutPageText(dev, 'dev');
  // Only once the page exists is prod worth a look: it tells a fixed text from one built from the profile.
  const problems = [devText ?? aboutPageText(prod, 'prod')].filter((p): p is string => p !== undefined);
  const deployment = deploymentOf(dev);
  if (typeof deployment === 'string') return [...problems, deployment];
  const files = configMapFiles(dev, deployment);
  const served = (file: string) => files.get(`${NGINX_ROOT}/${file}`);
  const about = served('about.html');
  if (about === undefined) {
    problems.push(`the web-app pods have no ${NGINX_ROOT}/about.html yet, so nginx answers /about.html with 404: add about.html to the items of the site-pages volume`);
  } else if (about.configMap !== SITE || about.key !== 'about.html') {
    problems.push(`${NGINX_ROOT}/about.html comes from key ${about.key} of ConfigMap ${about.configMap}: serve key about.html of ${SITE}`);
  }
  const index = served('index.html');
  if (index?.configMap !== SITE || index.key !== 'index.html') {
    problems.push(`${NGINX_ROOT}/index.html is no longer key index.html of ${SITE}: keep the home page when you add the About page`);
  }
  return problems;
}

function memoryScalingProblems(manifests: readonly Manifest[]): string[] {
  const deployment = deploymentOf(manifests);
  if (typeof deployment === 'string') return [deployment];
  const [autoscaler] = autoscalersOf(manifests, deployment);
  if (autoscaler === undefined) return [`no HorizontalPodAutoscaler scales Deployment ${APP} any more: keep the \`autoscaling\` prop in ${CHART}`];
  const problems: string[] = [];
  const memory = utilizationTarget(autoscaler, 'memory');
  if (memory === undefined) {
    problems.push(`the autoscaler ${autoscaler.metadata.name} does not scale on memory yet: add a memory metric at 80% average utilization (kplus.Metric.resourceMemory) through HardenedWorkload's autoscaling prop`);
  } else if (memory !== 80) {
    problems.push(`the autoscaler's memory target is ${memory}% average utilization: make it 80%`);
  }
  const cpu = utilizationTarget(autoscaler, 'cpu');
  if (cpu !== 70) problems.push(`the autoscaler must keep scaling on CPU at 70% average utilization (it has ${cpu === undefined ? 'no CPU metric' : `${cpu}%`})`);
  return problems;
}

function prometheusProblems(manifests: readonly Manifest[]): string[] {
  const deployment = deploymentOf(manifests);
  if (typeof deployment === 'string') return [deployment];
  const problems: string[] = [];
  const namespace = deployment.metadata.namespace;
  for (const policy of manifests.filter((m) => m.kind === 'NetworkPolicy' && m.metadata?.namespace !== namespace)) {
    problems.push(
      `NetworkPolicy ${policy.metadata.name} in namespace ${policy.metadata.namespace} would restrict the pods there, which this chart does not own: allow the flow on the web-app side only (isolation: kplus.PodConnectionsIsolation.POD)`,
    );
  }
  const portNames = portNamesOf(deployment);
  const admits = { [GATEWAY_NAMESPACE]: false, [MONITORING_NAMESPACE]: false };
  for (const rule of rulesFor(manifests, deployment, 'ingress')) {
    for (const peer of rule.peers.length ? rule.peers : [undefined]) {
      const from = peer === undefined || peer.ipBlock ? undefined : peerNamespace(peer);
      const known = from === GATEWAY_NAMESPACE || from === MONITORING_NAMESPACE;
      if (known && onlyPort(rule.ports, 'TCP', NGINX_PORT, portNames)) admits[from] = true;
      else if (known) problems.push(`NetworkPolicy ${rule.policy.metadata.name} admits ${describePeer(peer)} on ${formatPorts(rule.ports)}: allow TCP ${NGINX_PORT} only`);
      else {
        problems.push(
          `NetworkPolicy ${rule.policy.metadata.name} admits ${describePeer(peer)} on ${formatPorts(rule.ports)}: only the gateway's proxies and pods of namespace ${MONITORING_NAMESPACE} (selected by its kubernetes.io/metadata.name label) may reach the web-app pods`,
        );
      }
    }
  }
  if (!admits[MONITORING_NAMESPACE]) {
    problems.push(`no NetworkPolicy admits pods of namespace ${MONITORING_NAMESPACE} to the web-app pods on TCP ${NGINX_PORT} yet: add one with deployment.connections.allowFrom(...) in ${CHART}`);
  }
  if (!admits[GATEWAY_NAMESPACE]) problems.push(`the gateway's proxies (namespace ${GATEWAY_NAMESPACE}) can no longer reach the web-app pods on TCP ${NGINX_PORT}: keep its rule`);
  for (const rule of rulesFor(manifests, deployment, 'egress')) {
    problems.push(`NetworkPolicy ${rule.policy.metadata.name} lets the web-app pods reach ${rule.peers.map(describePeer).join(', ') || describePeer(undefined)}: the app needs no egress, scraping is ingress only`);
  }
  return problems;
}

export const exercises: readonly Exercise[] = [
  {
    number: 1,
    title: 'Serve an About page from the ConfigMap',
    check(input) {
      return aboutPageProblems(manifestsOf(input, 'dev'), manifestsOf(input, 'prod'));
    },
  },
  {
    number: 2,
    title: 'Scale on memory as well as CPU',
    check: (input) => memoryScalingProblems(manifestsOf(input)),
  },
  {
    number: 3,
    title: 'Let Prometheus scrape the pods',
    check: (input) => prometheusProblems(manifestsOf(input)),
  },
];
