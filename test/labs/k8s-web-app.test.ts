import { describeExercises } from './exercise-harness';

describeExercises('k8s-web-app');
