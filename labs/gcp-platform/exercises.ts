import type { Exercise } from '../exercises';

export const exercises: readonly Exercise[] = [];
