import { describeExercises } from './exercise-harness';

describeExercises('testing-iac', [2], 'wrong-answers');
