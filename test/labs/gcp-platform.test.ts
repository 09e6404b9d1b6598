import { describeExercises } from './exercise-harness';

describeExercises('gcp-platform');
