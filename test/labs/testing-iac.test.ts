import { describeExercises } from './exercise-harness';

// The slowest lab to self-test: each exercise's check runs the learner's tests under Jest, in the kit and
// in every mutant. Split by exercise, and the starter and solution apart from the wrong answers.
describeExercises('testing-iac', [1], 'checks');
