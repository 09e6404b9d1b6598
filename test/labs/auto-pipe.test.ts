import { describeExercises } from './exercise-harness';

describeExercises('auto-pipe');
