import { describeExercises } from './exercise-harness';

describeExercises('auto-pipe', [3, 4]);
