import { WorkloadSettings } from './config';
import { PersistentVolumeOptions } from './hardened-workload';

/** What every message broker of the charts (RabbitMQ, Kafka) runs with: a StatefulSet with one volume per node. */
export interface BrokerProps {
  readonly namespace: string;
  readonly clusterDomain: string;
  readonly settings: WorkloadSettings;
  readonly storageMebibytes: number;
  readonly storageClass?: string;
  /** Keep the volumes when the StatefulSet is deleted or scaled down (prod). */
  readonly retainData: boolean;
  /** Require one broker per node (prod). */
  readonly replicasOnSeparateNodes: boolean;
}

/** The stable DNS name of a broker pod, through the headless Service its peers and clients resolve. */
export function brokerPodDnsName(name: string, props: BrokerProps, pod: string): string {
  return `${pod}.${name}-headless.${props.namespace}.svc.${props.clusterDomain}`;
}

/** The broker's data volume, mounted at `mountPath`. */
export function brokerVolume(props: BrokerProps, mountPath: string): PersistentVolumeOptions {
  return { name: 'data', mountPath, sizeMebibytes: props.storageMebibytes, storageClass: props.storageClass, retain: props.retainData };
}
