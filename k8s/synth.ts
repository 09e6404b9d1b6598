/**
 * The in-process API of the Kubernetes wing: synthesize the charts to plain objects, and write them
 * under dist/k8s/. The lab CLI, the benchmark and the tests call these; k8s/app.ts composes them.
 */
import { App, Chart, Yaml } from 'cdk8s';
import { relative } from 'node:path';
import { DIST_DIR, WrittenFile, writeDist } from '../common/dist';
import { Manifest } from './checks/manifest';
import { KitConfig, Profile, resolveConfig } from './config';
import { OrderProcessingChart } from './order-processing-chart';
import { WebAppChart } from './web-app-chart';

export type ChartName = 'web-app' | 'order-processing';

export interface SynthesizedChart {
  readonly chart: ChartName;
  /** The Kubernetes objects exactly as written to YAML, in apply order. */
  readonly manifests: Manifest[];
}

export interface SynthOptions {
  /** @default 'dev' */
  readonly profile?: Profile;
  /** Setting overrides by name, e.g. `{ webReplicas: 2 }`; see config.ts and the README. */
  readonly overrides?: Record<string, unknown>;
}

/** Builds both charts for one profile; throws a ConfigError before building anything if a setting is invalid. */
export function synthCharts(options: SynthOptions = {}): SynthesizedChart[] {
  const config = resolveConfig(options.profile ?? 'dev', options.overrides);
  const charts = buildCharts(new App(), config);
  // JSON round trip: plain data only, so callers can mutate and compare freely.
  return charts.map(({ chart, construct }) => ({ chart, manifests: JSON.parse(JSON.stringify(construct.toJson())) }));
}

function buildCharts(app: App, config: KitConfig): { chart: ChartName; construct: Chart }[] {
  return [
    { chart: 'web-app', construct: new WebAppChart(app, 'web-app', { profile: config.profile, cluster: config.cluster, settings: config.webApp }) },
    {
      chart: 'order-processing',
      construct: new OrderProcessingChart(app, 'order-processing', { profile: config.profile, cluster: config.cluster, settings: config.orderProcessing }),
    },
  ];
}

/**
 * Writes `<outDir>/<profile>/<chart>.k8s.yaml` for each profile. `outDir` is dist/k8s unless the cdk8s
 * CLI names another folder (CDK8S_OUTDIR; `cdk8s synth --stdout` uses a temporary one).
 */
export function writeCharts(profiles: readonly Profile[], overrides: Record<string, unknown> = {}, outDir = `${DIST_DIR}/k8s`): WrittenFile[] {
  const synthesized = profiles.map((profile) => ({ profile, charts: synthCharts({ profile, overrides }) }));
  // Each file opens with a document marker, so files concatenated (`cdk8s synth --stdout`) stay separate documents.
  return synthesized.flatMap(({ profile, charts }) =>
    charts.map(({ chart, manifests }) => writeDist(`${relative(DIST_DIR, outDir)}/${profile}/${chart}.k8s.yaml`, `---\n${Yaml.stringify(...manifests)}`)),
  );
}
