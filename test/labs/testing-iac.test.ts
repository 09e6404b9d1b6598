import { describeExercises } from './exercise-harness';

// Split in two files: each exercise runs the learner's tests under Jest, several times.
describeExercises('testing-iac', [1]);
