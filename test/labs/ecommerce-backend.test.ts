import { describeExercises } from './exercise-harness';

describeExercises('ecommerce-backend');
