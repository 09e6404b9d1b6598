import { describeExercises } from './exercise-harness';

describeExercises('testing-iac', [1], 'wrong-answers');
