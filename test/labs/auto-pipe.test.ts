import { describeExercises } from './exercise-harness';

// Split in two files (each synthesizes both profiles for every wrong answer): Jest runs them in parallel.
describeExercises('auto-pipe', [1, 2]);
