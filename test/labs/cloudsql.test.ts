import { describeExercises } from './exercise-harness';

describeExercises('cloudsql');
