/**
 * The two profiles every lab has, whatever the tool: `dev` is a learner's lab (cheap, tears
 * down completely), `prod` is what a team would run (highly available, keeps its data).
 */
export const PROFILES = ['dev', 'prod'] as const;
export type Profile = (typeof PROFILES)[number];
