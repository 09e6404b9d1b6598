import { describeExercises } from './exercise-harness';

// Split in two files, the starter and solution trees apart from the wrong answers: Jest runs them in parallel.
describeExercises('cloudsql', undefined, 'checks');
