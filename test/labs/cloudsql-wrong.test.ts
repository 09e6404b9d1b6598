import { describeExercises } from './exercise-harness';

describeExercises('cloudsql', undefined, 'wrong-answers');
