/**
 * The Google Cloud regions and their zones, kept as data so that a typo such as `us-centrl1` or a
 * zone that does not exist (`europe-west1-a`) is refused before anything is planned.
 *
 * Source: https://cloud.google.com/compute/docs/regions-zones (Available regions and zones),
 * written down 2026-11-01. Google adds regions a few times a year: if yours is missing, add it here
 * with its zone letters.
 */
export const ZONES_AS_OF = '2026-11-01';

const ABC = ['a', 'b', 'c'] as const;

export const GCP_ZONE_LETTERS: Readonly<Record<string, readonly string[]>> = {
  'africa-south1': ABC,
  'asia-east1': ABC,
  'asia-east2': ABC,
  'asia-northeast1': ABC,
  'asia-northeast2': ABC,
  'asia-northeast3': ABC,
  'asia-south1': ABC,
  'asia-south2': ABC,
  'asia-southeast1': ABC,
  'asia-southeast2': ABC,
  'australia-southeast1': ABC,
  'australia-southeast2': ABC,
  'europe-central2': ABC,
  'europe-north1': ABC,
  'europe-north2': ABC,
  'europe-southwest1': ABC,
  'europe-west1': ['b', 'c', 'd'],
  'europe-west2': ABC,
  'europe-west3': ABC,
  'europe-west4': ABC,
  'europe-west6': ABC,
  'europe-west8': ABC,
  'europe-west9': ABC,
  'europe-west10': ABC,
  'europe-west12': ABC,
  'me-central1': ABC,
  'me-central2': ABC,
  'me-west1': ABC,
  'northamerica-northeast1': ABC,
  'northamerica-northeast2': ABC,
  'northamerica-south1': ABC,
  'southamerica-east1': ABC,
  'southamerica-west1': ABC,
  'us-central1': ['a', 'b', 'c', 'f'],
  'us-east1': ['b', 'c', 'd'],
  'us-east4': ABC,
  'us-east5': ABC,
  'us-south1': ABC,
  'us-west1': ABC,
  'us-west2': ABC,
  'us-west3': ABC,
  'us-west4': ABC,
};

export const GCP_REGIONS = Object.keys(GCP_ZONE_LETTERS);

/** The zones of `region`, e.g. us-central1-a ... us-central1-f. */
export function zonesOf(region: string): string[] {
  return (GCP_ZONE_LETTERS[region] ?? []).map((letter) => `${region}-${letter}`);
}
