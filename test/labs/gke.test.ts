import { describeExercises } from './exercise-harness';

describeExercises('gke');
