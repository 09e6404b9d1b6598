/**
 * The testing-iac exercises: each asks for a test, and a test is only worth something if it
 * can fail. A check lints and type-checks the learner's test file as `npm test` does, then runs
 * it with Jest in one process: on the kit as it is (it must pass) and on one copy of the kit per
 * deliberate bug, the mutants in mutants/exercise-<N>[-<bug>].patch (it must fail on each): one
 * mutant per assertion the exercise asks for, so a test that skips one of them is caught.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Exercise, ExerciseInput } from '../cli/lab';
import { runJest } from '../cli/jest';
import { applyPatch, copyOfKit } from '../cli/kit-copy';
import { lintProblems, typeProblems } from '../cli/source-checks';
import { summarizeTestFile, type Technique } from '../cli/test-inventory';

interface TestExercise {
  readonly number: number;
  readonly title: string;
  /** The test file the learner writes, relative to the repository. */
  readonly file: string;
  /** What the file must contain, for the message when it is missing. */
  readonly ask: string;
  /** The kit folder the test must import (itself or through a helper under test/). */
  readonly subject: 'aws' | 'gcp' | 'k8s';
  /** The technique the test inventory must see in it, and what the file lacks when it does not. */
  readonly technique: Technique;
  readonly withoutTechnique: string;
  /** The deliberate bugs the test must catch, one per assertion the exercise asks for. */
  readonly mutants: readonly Mutant[];
}

interface Mutant {
  /** The patch under labs/testing-iac/mutants/. */
  readonly patch: string;
  /** The bug, as a clause: "the prod service's log group is deleted with its stack". */
  readonly bug: string;
  /** What to assert so that the bug fails the test. */
  readonly toCatch: string;
}

const TEST_EXERCISES: readonly TestExercise[] = [
  {
    number: 1,
    title: 'Assert that prod keeps its service logs',
    file: 'test/exercises/prod-logs.test.ts',
    ask: 'synthesize the prod stacks once and assert on the /ecs/auto-pipe-prod log group of AutoPipeService-prod',
    subject: 'aws',
    technique: 'assertion',
    withoutTechnique: "makes no assertion yet: read the template with synth.template('AutoPipeService-prod') and assert on it",
    mutants: [
      { patch: 'exercise-1.patch', bug: "the prod service's log group is deleted with its stack", toCatch: "assert the /ecs/auto-pipe-prod log group's DeletionPolicy is Retain" },
      {
        patch: 'exercise-1-replaced-without-copy.patch',
        bug: "the prod service's log group is deleted when CloudFormation replaces it (its UpdateReplacePolicy is Delete)",
        toCatch: "assert the log group's UpdateReplacePolicy is Retain as well",
      },
      {
        patch: 'exercise-1-short-retention.patch',
        bug: "the prod service's logs are kept 30 days instead of 90",
        toCatch: "assert the log group's RetentionInDays is at least 90",
      },
    ],
  },
  {
    number: 2,
    title: 'Plan Cloud SQL with another Postgres version',
    file: 'test/exercises/postgres-version.test.ts',
    ask: "plan the cloudsql lab with planLab('cloudsql', 'dev', { databaseVersion: 'POSTGRES_16' }) and assert on the planned instance",
    subject: 'gcp',
    technique: 'mocks',
    withoutTechnique: "does not plan a lab with the Pulumi mocks yet: call planLab from gcp/offline/plan.ts with { databaseVersion: 'POSTGRES_16' } as overrides",
    mutants: [
      {
        patch: 'exercise-2.patch',
        bug: 'the Cloud SQL instance ignores the configured databaseVersion and always runs POSTGRES_17',
        toCatch: "assert the gcp:sql/databaseInstance:DatabaseInstance's databaseVersion input is POSTGRES_16",
      },
    ],
  },
  {
    number: 3,
    title: 'Prove the privilege-escalation policy can fail',
    file: 'test/exercises/privilege-escalation.test.ts',
    ask: 'synthesize the web-app chart, set allowPrivilegeEscalation true on its container, and assert that checkManifests reports pss-privilege-escalation',
    subject: 'k8s',
    technique: 'policy',
    withoutTechnique: 'runs no policy yet: run the gate, checkManifests from k8s/checks, on the manifests you changed',
    mutants: [
      {
        patch: 'exercise-3.patch',
        bug: 'the pss-privilege-escalation check never fails',
        toCatch: 'assert that checkManifests returns a failing pss-privilege-escalation result for the container you changed',
      },
    ],
  },
];

export const exercises: readonly Exercise[] = TEST_EXERCISES.map((exercise) => ({
  number: exercise.number,
  title: exercise.title,
  check: (input) => checkTest(exercise, input),
}));

/** The deliberate bug the learner's test must catch. */
function mutantPatch(mutant: Mutant): string {
  return `labs/testing-iac/mutants/${mutant.patch}`;
}

async function checkTest(exercise: TestExercise, input: ExerciseInput): Promise<string[]> {
  const { file, subject, technique } = exercise;
  // The learner's file is not part of the kit's suite (the lab's inventory leaves test/exercises/ out): read it directly.
  if (!existsSync(join(input.root, file))) return [`create ${file}: ${exercise.ask}`];
  const summary = summarizeTestFile(input.root, join(input.root, file));
  const problems: string[] = [];
  if (!summary.subjects.includes(subject)) problems.push(`${file} imports nothing from ${subject}/ yet (itself or through a helper under test/${subject}/)`);
  if (!summary.techniques.includes(technique)) problems.push(`${file} ${exercise.withoutTechnique}`);
  if (onlySnapshots(readFileSync(join(input.root, file), 'utf8'))) {
    problems.push(
      `${file} only compares snapshots: a snapshot records whatever the code makes today, a bug included, so it cannot say what must hold; ${exercise.mutants[0].toCatch}`,
    );
  }
  if (problems.length > 0) return problems;
  // Lint first (a second or so); the type-check, which loads the libraries' types, runs beside Jest.
  const lint = await lintProblems(input.root, file);
  if (lint.length > 0) return lint;
  const types = typeProblems(input.root, file).catch((err: unknown) => [`${file} could not be type-checked (${(err as Error).message.split('\n')[0]}): run npx tsc --noEmit to see why`]);

  const copies: string[] = [];
  try {
    for (const mutant of exercise.mutants) {
      const copy = copyOfKit(input.root);
      copies.push(copy);
      try {
        // One matching line each side is enough: the other labs' exercises edit lines near the ones a bug changes.
        applyPatch(copy, join(input.root, mutantPatch(mutant)), 1);
      } catch {
        const patch = mutantPatch(mutant);
        return [`the deliberate bug of ${patch} no longer applies to your ${patchedFiles(input.root, patch).join(', ')}: this check needs the kit's code there as it was (git diff shows your changes)`];
      }
    }
    // One Jest process runs the file in the kit and in every mutant.
    const paths = [input.root, ...copies].map((root) => join(root, file));
    let results: Awaited<ReturnType<typeof runJest>>;
    try {
      // --ci: the check never writes a snapshot into the learner's tree, and a missing one fails.
      results = await runJest(paths, input.root, { files: { roots: [input.root, ...copies].map((root) => join(root, 'test')) }, ci: true });
    } catch (err) {
      return [`${(err as Error).message}: run npx jest ${file} to see why`];
    }
    const typeErrors = await types;
    if (typeErrors.length > 0) return typeErrors;
    const [onKit, ...onMutants] = paths.map((path) => results.find((r) => r.file === relative(input.root, path)));
    if (onKit === undefined || onMutants.some((r) => r === undefined)) return [`Jest ran no test in ${file}: is it named *.test.ts and does it hold a test(...)?`];
    if (!onKit.pass) {
      const why = onKit.failures.length > 0 ? onKit.failures.map((f) => f.replace(/^\s*●\s*/, '')).join('; ') : 'no test passed';
      return [`${file} fails on the kit as it is (${why}): a test must pass on correct code; run npx jest ${file} to see why`];
    }
    return exercise.mutants
      .filter((_mutant, i) => onMutants[i]!.pass)
      .map((mutant) => `${file} still passes when ${mutant.bug} (the deliberate bug in ${mutantPatch(mutant)}), so it would not catch it: ${mutant.toCatch}`);
  } finally {
    for (const copy of copies) rmSync(copy, { recursive: true, force: true });
  }
}

/** True when every expectation in the test source ends in a snapshot matcher. */
function onlySnapshots(source: string): boolean {
  const expectations = source.match(/\bexpect\s*\(/g)?.length ?? 0;
  const snapshots = source.match(/\.toMatch(Inline)?Snapshot\s*\(/g)?.length ?? 0;
  return expectations > 0 && snapshots >= expectations;
}

/** The files a patch changes, from its `+++ b/<path>` lines. */
function patchedFiles(root: string, patch: string): string[] {
  return [...readFileSync(join(root, patch), 'utf8').matchAll(/^\+\+\+ b\/(.+)$/gm)].map((m) => m[1]);
}
