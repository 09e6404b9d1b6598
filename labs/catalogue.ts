/**
 * The lab catalogue: every lab the kit teaches, what it uses and where its code lives.
 * The `lab` command, the README's Labs table and the tests all read this one list.
 */

export const LAB_IDS = ['auto-pipe', 'gke', 'cloudsql', 'gcp-platform', 'k8s-web-app', 'order-processing', 'testing-iac'] as const;
export type LabId = (typeof LAB_IDS)[number];

/** What a lab synthesizes, and so how the kit builds, prices and draws it. */
export type LabSource =
  | { readonly kind: 'cdk' }
  | { readonly kind: 'pulumi'; readonly program: 'gke' | 'cloudsql' | 'platform' }
  | { readonly kind: 'cdk8s'; readonly chart: 'web-app' | 'order-processing' }
  | { readonly kind: 'kit' };

export interface Lab {
  readonly id: LabId;
  readonly title: string;
  readonly tool: 'AWS CDK' | 'Pulumi' | 'cdk8s' | 'Jest';
  readonly cloud: 'AWS' | 'GCP' | 'Kubernetes' | 'none';
  readonly level: 'beginner' | 'intermediate' | 'advanced';
  /** Rough time for the steps and exercises, for a learner new to the topic. */
  readonly minutes: number;
  readonly source: LabSource;
  /** The stacks, programs or charts the lab uses, as the tool names them. */
  readonly uses: readonly string[];
  /** Where the lab's code lives, relative to the repository root. */
  readonly code: readonly string[];
  /** Jest path patterns of the lab's tests: `lab check <id>` runs them. */
  readonly tests: readonly string[];
  /**
   * Configuration the guide deploys with, in the tool's keys, for drawing the lab as the learner
   * will run it (e.g. the GitHub repository that gets a deploy role). Synth writes without it.
   */
  readonly example?: Readonly<Record<string, string>>;
}

// Tests of a wing's shared parts (configuration, policies, entry points) belong to each of its labs.
const GCP_SHARED_TESTS = ['test/gcp/config', 'test/gcp/policies', 'test/gcp/plan-cli'];
const K8S_SHARED_TESTS = ['test/k8s/config', 'test/k8s/policies', 'test/k8s/schema', 'test/k8s/hardened-workload', 'test/k8s/entry-points', 'test/k8s/docs'];

export const LABS: readonly Lab[] = [
  {
    id: 'auto-pipe',
    title: 'Auto-Pipe: GitHub Actions to ECS Fargate with AWS CDK',
    tool: 'AWS CDK',
    cloud: 'AWS',
    level: 'intermediate',
    minutes: 120,
    source: { kind: 'cdk' },
    uses: ['AutoPipeRegistry-<profile>', 'AutoPipeService-<profile>'],
    code: ['aws/', 'labs/auto-pipe/service/', '.github/workflows/auto-pipe.yml', 'cdk.json'],
    tests: ['test/aws/', 'test/labs/auto-pipe'],
    example: { githubRepo: 'your-org/auto-pipe' },
  },
  {
    id: 'gke',
    title: 'A hardened GKE cluster with Pulumi',
    tool: 'Pulumi',
    cloud: 'GCP',
    level: 'intermediate',
    minutes: 90,
    source: { kind: 'pulumi', program: 'gke' },
    uses: ['Pulumi program gcp/ with lab=gke'],
    code: ['gcp/', 'Pulumi.yaml', 'Pulumi.gke-dev.yaml'],
    tests: ['test/gcp/gke', ...GCP_SHARED_TESTS, 'test/labs/gke'],
  },
  {
    id: 'cloudsql',
    title: 'A private Cloud SQL Postgres with Pulumi',
    tool: 'Pulumi',
    cloud: 'GCP',
    level: 'intermediate',
    minutes: 75,
    source: { kind: 'pulumi', program: 'cloudsql' },
    uses: ['Pulumi program gcp/ with lab=cloudsql'],
    code: ['gcp/', 'Pulumi.yaml', 'Pulumi.cloudsql-dev.yaml'],
    tests: ['test/gcp/cloudsql', ...GCP_SHARED_TESTS, 'test/labs/cloudsql'],
  },
  {
    id: 'gcp-platform',
    title: 'The chat platform: GKE, Cloud SQL and Memorystore together',
    tool: 'Pulumi',
    cloud: 'GCP',
    level: 'advanced',
    minutes: 150,
    source: { kind: 'pulumi', program: 'platform' },
    uses: ['Pulumi program gcp/ with lab=platform'],
    code: ['gcp/', 'Pulumi.yaml', 'Pulumi.platform-dev.yaml'],
    tests: ['test/gcp/platform', ...GCP_SHARED_TESTS, 'test/labs/gcp-platform'],
  },
  {
    id: 'k8s-web-app',
    title: 'The web app on Kubernetes with cdk8s',
    tool: 'cdk8s',
    cloud: 'Kubernetes',
    level: 'beginner',
    minutes: 60,
    source: { kind: 'cdk8s', chart: 'web-app' },
    uses: ['WebAppChart'],
    code: ['k8s/', 'cdk8s.yaml'],
    tests: ['test/k8s/web-app', ...K8S_SHARED_TESTS, 'test/labs/k8s-web-app'],
  },
  {
    id: 'order-processing',
    title: 'The order-processing system: RabbitMQ, Kafka and gRPC on Kubernetes',
    tool: 'cdk8s',
    cloud: 'Kubernetes',
    level: 'advanced',
    minutes: 180,
    source: { kind: 'cdk8s', chart: 'order-processing' },
    uses: ['OrderProcessingChart'],
    code: ['k8s/', 'cdk8s.yaml'],
    tests: ['test/k8s/order-processing', ...K8S_SHARED_TESTS, 'test/labs/order-processing'],
  },
  {
    id: 'testing-iac',
    title: 'Testing infrastructure as code: snapshots, assertions, policies and mocks',
    tool: 'Jest',
    cloud: 'none',
    level: 'intermediate',
    minutes: 90,
    source: { kind: 'kit' },
    uses: ['the whole kit'],
    code: ['test/', 'jest.config.js'],
    tests: ['test/'],
  },
];

export function findLab(id: string): Lab | undefined {
  return LABS.find((lab) => lab.id === id);
}
