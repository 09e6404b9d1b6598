import { describeExercises } from './exercise-harness';

describeExercises('gcp-platform', undefined, 'wrong-answers');
