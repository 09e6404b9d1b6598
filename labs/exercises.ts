/**
 * Exercises that check themselves. Each lab's exercises live beside its guide
 * (labs/<id>/exercises.ts), each with a reference solution (labs/<id>/solutions/exercise-<N>.patch).
 * The test suite proves every check fails on the starter code and passes with its solution.
 */
import type { Profile } from '../common/profiles';
import type { LabId } from './catalogue';
import type { LabResource } from './resources';
import type { LabOutput } from './synth';
import { exercises as autoPipe } from './auto-pipe/exercises';
import { exercises as cloudsql } from './cloudsql/exercises';
import { exercises as gcpPlatform } from './gcp-platform/exercises';
import { exercises as gke } from './gke/exercises';
import { exercises as k8sWebApp } from './k8s-web-app/exercises';
import { exercises as orderProcessing } from './order-processing/exercises';
import { exercises as testingIac } from './testing-iac/exercises';

/** What a check reads: the lab synthesized in the profiles it asked for, and the repository it ran in. */
export type ExerciseInput = Partial<Record<Profile, LabOutput>> & { readonly root: string };

export interface Exercise {
  readonly number: number;
  /** As in the guide's heading `### Exercise N: <title>`. */
  readonly title: string;
  /** Profiles the check reads. @default ['dev'] */
  readonly profiles?: readonly Profile[];
  /** What is still wrong with the learner's work, in words that say what to fix; none means done. */
  check(input: ExerciseInput): string[] | Promise<string[]>;
}

const EXERCISES: Record<LabId, readonly Exercise[]> = {
  'auto-pipe': autoPipe,
  gke,
  cloudsql,
  'gcp-platform': gcpPlatform,
  'k8s-web-app': k8sWebApp,
  'order-processing': orderProcessing,
  'testing-iac': testingIac,
};

export function exercisesOf(lab: LabId): readonly Exercise[] {
  return EXERCISES[lab];
}

export function solutionPatch(lab: LabId, number: number): string {
  return `labs/${lab}/solutions/exercise-${number}.patch`;
}

/** The resources of `type` in a profile's output (an exercise that asked for the profile always has it). */
export function resourcesOf(input: ExerciseInput, type: string, profile: Profile = 'dev'): LabResource[] {
  const output = input[profile];
  if (output === undefined) throw new Error(`this exercise's check did not ask for the ${profile} profile`);
  return output.resources.filter((r) => r.type === type);
}
