import { describeExercises } from './exercise-harness';

describeExercises('order-processing');
