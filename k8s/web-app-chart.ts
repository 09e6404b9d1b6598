import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterSettings, Profile, WebAppSettings } from './config';
import { HardenedWorkload } from './hardened-workload';
import { GatewayEntrance } from './gateway-entrance';
import { gatewayPeers } from './gateway-proxy';
import { chartLabels, configHashAnnotation } from './metadata';
import { SecureNamespace } from './secure-namespace';

export interface WebAppChartProps {
  readonly profile: Profile;
  readonly cluster: ClusterSettings;
  readonly settings: WebAppSettings;
}

/**
 * The course's first Kubernetes step: a web app of several replicas behind a Service, reachable through
 * a Gateway, scaled on CPU, and closed to every other flow. The server is unprivileged nginx whose
 * site and `/health` endpoint come from a ConfigMap, so the lab runs on kind or minikube with no build.
 */
export class WebAppChart extends Chart {
  readonly configMap: kplus.ConfigMap;
  readonly app: HardenedWorkload;
  readonly service: kplus.Service;
  readonly entrance: GatewayEntrance;

  constructor(scope: Construct, id: string, props: WebAppChartProps) {
    super(scope, id, { labels: chartLabels('web-app', props.profile) });
    const { settings, cluster } = props;
    const namespace = settings.namespace;
    new SecureNamespace(this, 'Namespace', { name: namespace });

    const site = {
      'default.conf': nginxSite(settings.port),
      'index.html': indexPage(settings.message, props.profile),
    };
    this.configMap = new kplus.ConfigMap(this, 'Config', { metadata: { name: 'web-app-site', namespace }, data: site });

    this.app = new HardenedWorkload(this, 'App', {
      name: 'web-app',
      component: 'web',
      namespace,
      settings,
      autoscaling: { maxReplicas: settings.maxReplicas, cpuUtilization: 70 },
      user: settings.user,
      ports: [{ number: settings.port, name: 'http' }],
      readiness: { httpGet: settings.healthPath, port: settings.port },
      liveness: { httpGet: settings.healthPath, port: settings.port },
      // The app needs no name resolution and calls nothing: egress stays fully closed.
      allowDns: false,
      podAnnotations: configHashAnnotation(site),
      replicasOnSeparateNodes: cluster.replicasOnSeparateNodes,
    });
    this.app.container.mount('/etc/nginx/conf.d', kplus.Volume.fromConfigMap(this, 'SiteConfig', this.configMap, {
      name: 'site-config',
      items: { 'default.conf': { path: 'default.conf' } },
    }), { readOnly: true });
    this.app.container.mount('/usr/share/nginx/html', kplus.Volume.fromConfigMap(this, 'SitePages', this.configMap, {
      name: 'site-pages',
      items: { 'index.html': { path: 'index.html' } },
    }), { readOnly: true });

    const deployment = this.app.workload as kplus.Deployment;
    this.service = deployment.exposeViaService({
      name: 'web-app',
      serviceType: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'http', port: 80, targetPort: settings.port }],
    });
    this.entrance = new GatewayEntrance(this, 'Entrance', {
      name: 'web-app',
      namespace,
      host: settings.host,
      gatewayClass: cluster.gatewayClass,
      service: this.service,
      port: 80,
      tlsSecret: settings.tlsSecret,
    });
    for (const peer of gatewayPeers(this, cluster)) deployment.connections.allowFrom(peer, { isolation: kplus.PodConnectionsIsolation.POD });
  }
}

function nginxSite(port: number): string {
  return [
    'server {',
    `    listen ${port};`,
    '    server_name _;',
    '    location = /health {',
    '        access_log off;',
    '        default_type text/plain;',
    "        return 200 'ok\\n';",
    '    }',
    '    location / {',
    '        root /usr/share/nginx/html;',
    '        index index.html;',
    '    }',
    '}',
    '',
  ].join('\n');
}

function indexPage(message: string, profile: Profile): string {
  return `<!doctype html>\n<html><head><title>web-app</title></head>\n<body><h1>${message}</h1><p>profile: ${profile}</p></body></html>\n`;
}
