import { describeExercises } from './exercise-harness';

describeExercises('testing-iac', [3], 'wrong-answers');
