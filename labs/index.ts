/**
 * The labs the kit teaches, in the order the README lists them: each lab's folder declares it in
 * labs/<id>/lab.ts, and this list imports each one once. The `lab` command, the README's Labs table
 * and the tests read this list; a test checks that it names every folder under labs/ but cli/.
 */
import type { Lab } from './cli/lab';
import { lab as autoPipe } from './auto-pipe/lab';
import { lab as cloudsql } from './cloudsql/lab';
import { lab as ecommerceBackend } from './ecommerce-backend/lab';
import { lab as gcpPlatform } from './gcp-platform/lab';
import { lab as gke } from './gke/lab';
import { lab as k8sWebApp } from './k8s-web-app/lab';
import { lab as orderProcessing } from './order-processing/lab';
import { lab as testingIac } from './testing-iac/lab';

export const LABS = [autoPipe, ecommerceBackend, gke, cloudsql, gcpPlatform, k8sWebApp, orderProcessing, testingIac] as const;
export type LabId = (typeof LABS)[number]['id'];
export const LAB_IDS: readonly LabId[] = LABS.map((lab) => lab.id);

export function findLab(id: string): Lab | undefined {
  return LABS.find((lab) => lab.id === id);
}

/** The lab with this id, for callers that know it exists. */
export function labOf(id: LabId): Lab<LabId> {
  return LABS.find((lab) => lab.id === id)!;
}
