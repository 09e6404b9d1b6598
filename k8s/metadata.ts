import { createHash } from 'node:crypto';

/** Labels every object of a chart carries, so the checks (and `kubectl -l`) can tell charts and profiles apart. */
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const PROFILE_LABEL = 'iac-lab-kit/profile';

export function chartLabels(chart: string, profile: string): Record<string, string> {
  return { [PART_OF_LABEL]: chart, 'app.kubernetes.io/managed-by': 'cdk8s', [PROFILE_LABEL]: profile };
}

/**
 * A pod annotation holding the hash of the configuration the pods read, so that `kubectl apply`
 * of a changed ConfigMap also rolls the pods that use it (they would otherwise keep the old values).
 */
export function configHashAnnotation(data: Record<string, string>): Record<string, string> {
  return { 'iac-lab-kit/config-sha256': createHash('sha256').update(JSON.stringify(data)).digest('hex') };
}
