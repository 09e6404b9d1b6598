import type { LabConfig } from '../config';
import { CloudSqlLab } from './cloudsql';
import { GkeLab } from './gke';
import type { LabOutputs } from './lab';
import { PlatformLab } from './platform';

/** Declares the lab that config selects and returns its stack outputs. */
export function deployLab(config: LabConfig): LabOutputs {
  switch (config.lab) {
    case 'gke':
      return new GkeLab('gke', { config }).outputs;
    case 'cloudsql':
      return new CloudSqlLab('cloudsql', { config }).outputs;
    case 'platform':
      return new PlatformLab('platform', { config }).outputs;
  }
}
