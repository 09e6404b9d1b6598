/**
 * What a lab is, for the `lab` command: its catalogue entry (what it teaches, what it synthesizes,
 * where its code lives) and its exercises that check themselves. Each lab declares itself in
 * labs/<id>/lab.ts with `defineLab`; labs/index.ts lists them. Nothing here knows which labs exist,
 * so a lab's exercises can use these types and helpers without importing the list of labs.
 */
import type { WrittenFile } from '../../common/dist';
import type { AwsLabId } from '../../aws/labs';
import type { Profile } from '../../common/profiles';
import type { LabResource } from './resources';

/** What a lab synthesizes, and so how the kit builds, prices and draws it. */
export type LabSource =
  | {
      readonly kind: 'cdk';
      /** The lab's stacks in aws/app.ts (`-c lab=<app>`). */
      readonly app: AwsLabId;
      /** Context a profile cannot synthesize without (prod's HTTPS name), for the kit's offline builds of it. */
      readonly requiredContext?: Partial<Record<Profile, Readonly<Record<string, string>>>>;
    }
  | { readonly kind: 'pulumi'; readonly program: 'gke' | 'cloudsql' | 'platform' }
  | { readonly kind: 'cdk8s'; readonly chart: 'web-app' | 'order-processing' }
  | { readonly kind: 'kit' };

export interface Lab<Id extends string = string> {
  /** The lab's folder under labs/, and its id on the command line. */
  readonly id: Id;
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
  /** In the guide's order; each has a reference solution in labs/<id>/solutions/exercise-<N>.patch. */
  readonly exercises: readonly Exercise[];
}

/** Declares a lab, keeping its id's literal type so the list of labs knows every id. */
export function defineLab<const Id extends string>(lab: Lab<Id>): Lab<Id> {
  return lab;
}

// Tests of a wing's shared parts (configuration, policies, entry points) belong to each of its labs.
export const GCP_SHARED_TESTS = ['test/gcp/config', 'test/gcp/policies', 'test/gcp/plan-cli'] as const;
export const K8S_SHARED_TESTS = ['test/k8s/config', 'test/k8s/policies', 'test/k8s/schema', 'test/k8s/hardened-workload', 'test/k8s/entry-points', 'test/k8s/docs'] as const;

export interface LabOutput {
  readonly lab: string;
  readonly profile: Profile;
  readonly resources: readonly LabResource[];
  /** What was written, when synth was asked to write. */
  readonly files: readonly WrittenFile[];
}

/** What a check reads: the lab synthesized in both profiles, and the repository it ran in. */
export type ExerciseInput = Readonly<Record<Profile, LabOutput>> & { readonly root: string };

export interface Exercise {
  readonly number: number;
  /** As in the guide's heading `### Exercise N: <title>`. */
  readonly title: string;
  /** What is still wrong with the learner's work, in words that say what to fix; none means done. */
  check(input: ExerciseInput): string[] | Promise<string[]>;
}

/** The resources of `type` in a profile's output. */
export function resourcesOf(input: ExerciseInput, type: string, profile: Profile = 'dev'): LabResource[] {
  return input[profile].resources.filter((r) => r.type === type);
}

/** Whether a CloudWatch alarm's action list (AlarmActions or OKActions) names one of the profile's SNS topics. */
export function notifiesTopic(input: ExerciseInput, actions: unknown, profile: Profile = 'dev'): boolean {
  // Resource ids are `<stack>/<logicalId>`; an action refers to the topic's logical id.
  const topics = resourcesOf(input, 'AWS::SNS::Topic', profile).map((t) => t.id.slice(t.id.indexOf('/') + 1));
  return Array.isArray(actions) && actions.some((a: { Ref?: unknown } | null) => topics.includes(String(a?.Ref)));
}
