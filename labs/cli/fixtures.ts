/**
 * The patches that come with each exercise, under labs/<id>/: the reference solution
 * (solutions/exercise-<N>.patch), each a `git diff` against the kit.
 */

export function solutionPatch(lab: string, number: number): string {
  return `labs/${lab}/solutions/exercise-${number}.patch`;
}
