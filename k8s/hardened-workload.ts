/**
 * The one place where a workload gets its security context, probes, resources, network isolation
 * and disruption budget, so no chart repeats them.
 *
 * cdk8s-plus-28 defaults to runAsNonRoot and a read-only root, but sets no `capabilities.drop`, no
 * seccomp profile, no readiness or liveness probe, requests of a whole CPU, and leaves pods open on
 * the network. Every pod built here meets Pod Security Standards *restricted*.
 */
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { WorkloadSettings } from './config';
import { formatMemory } from './quantity';

/** What a probe asks the container. Timings are per purpose (startup, readiness, liveness), not per check. */
export type HealthCheck =
  | { readonly httpGet: string; readonly port: number }
  | { readonly grpc: number }
  | { readonly tcp: number }
  | { readonly command: readonly string[] };

export interface PersistentVolumeOptions {
  /** Name of the claim template; pods get `<name>-<statefulset>-<ordinal>` claims. */
  readonly name: string;
  readonly mountPath: string;
  readonly sizeMebibytes: number;
  readonly storageClass?: string;
  /** Keep the claims when the StatefulSet is deleted or scaled down (prod), or delete them (dev). */
  readonly retain: boolean;
}

export interface HardenedWorkloadProps {
  /** Object name and `app.kubernetes.io/name` of the workload and its pods. */
  readonly name: string;
  /** `app.kubernetes.io/component`, e.g. `frontend` or `broker`. */
  readonly component: string;
  readonly namespace: string;
  readonly settings: WorkloadSettings;
  /** Container ports; the first one is the main port. */
  readonly ports?: readonly kplus.ContainerPort[];
  readonly readiness: HealthCheck;
  readonly liveness: HealthCheck;
  /** @default the readiness check */
  readonly startup?: HealthCheck;
  /** How long the process may take to start before the kubelet restarts it. @default 60 */
  readonly startupSeconds?: number;
  /** The image's own non-root user (also its group and fsGroup), so files it owns stay readable. @default 65532 */
  readonly user?: number;
  /** Require, not just prefer, one replica per node (prod clusters have several). @default false */
  readonly replicasOnSeparateNodes?: boolean;
  readonly envVariables?: Record<string, kplus.EnvValue>;
  /**
   * Directories the process writes to besides /tmp; each gets an emptyDir so the root filesystem stays
   * read-only. /tmp always does: interpreters, JVMs and servers expect it.
   */
  readonly writableDirs?: readonly string[];
  /** A StatefulSet with one volume claim per pod instead of a Deployment. */
  readonly persistentVolume?: PersistentVolumeOptions;
  /**
   * Scale on CPU with a HorizontalPodAutoscaler, from `settings.replicas` up to `maxReplicas`; the
   * autoscaler then owns the replica count. Deployments only.
   */
  readonly autoscaling?: { readonly maxReplicas: number; readonly cpuUtilization: number };
  /** Resolve names through cluster DNS. @default true */
  readonly allowDns?: boolean;
  readonly podAnnotations?: Record<string, string>;
  /**
   * What the container does before the kubelet sends SIGTERM (a preStop command), and how long the
   * pod may take to stop in all: the command's time plus the process's own shutdown. @default none, 30 s
   */
  readonly shutdown?: { readonly preStop: readonly string[]; readonly gracePeriodSeconds: number };
}

const RESTRICTED_CONTAINER: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  privileged: false,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

/** A Deployment (or, with a persistent volume, a StatefulSet) hardened for Pod Security Standards restricted. */
export class HardenedWorkload extends Construct {
  readonly workload: kplus.Deployment | kplus.StatefulSet;
  readonly container: kplus.Container;
  /** The headless Service that gives StatefulSet pods stable DNS names; undefined for Deployments. */
  readonly headlessService?: kplus.Service;
  readonly podDisruptionBudget: kplus.k8s.KubePodDisruptionBudget;
  readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** Setup steps added so far (init containers, in order). */
  private setupSteps = 0;
  constructor(scope: Construct, id: string, props: HardenedWorkloadProps) {
    super(scope, id);
    const user = props.user ?? 65532;
    const { settings } = props;
    const labels = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/component': props.component };

    const workloadProps: kplus.WorkloadProps = {
      metadata: { name: props.name, namespace: props.namespace, labels },
      podMetadata: { labels, annotations: props.podAnnotations },
      isolate: true,
      automountServiceAccountToken: false,
      terminationGracePeriod: props.shutdown && Duration.seconds(props.shutdown.gracePeriodSeconds),
      securityContext: {
        ensureNonRoot: true,
        user,
        group: user,
        fsGroup: user,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
    };

    if (props.persistentVolume) {
      const ports = (props.ports ?? []).map((p) => ({ port: p.number, targetPort: p.number, name: p.name }));
      // Peers must resolve each other before they are ready (KRaft quorum, RabbitMQ cluster formation).
      this.headlessService = new kplus.Service(this, 'Headless', {
        metadata: { name: `${props.name}-headless`, namespace: props.namespace, labels },
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        ports,
      });
      this.workload = new kplus.StatefulSet(this, 'Workload', {
        ...workloadProps,
        replicas: settings.replicas,
        service: this.headlessService,
        podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      });
    } else {
      this.workload = new kplus.Deployment(this, 'Workload', { ...workloadProps, replicas: props.autoscaling ? undefined : settings.replicas });
    }

    if (settings.replicas > 1 || props.autoscaling) {
      // One replica per node: required in prod (a node's loss takes one replica at most); only preferred
      // in dev, where a one-node kind cluster must still schedule them all. Zones: preferred everywhere.
      this.workload.scheduling.spread({ topology: kplus.Topology.HOSTNAME, weight: props.replicasOnSeparateNodes ? undefined : 100 });
      this.workload.scheduling.spread({ topology: kplus.Topology.ZONE, weight: 50 });
    }

    this.container = this.workload.addContainer({
      name: props.name,
      image: settings.image,
      // Tags are pinned, and learner images exist only on the node (`kind load docker-image`).
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: props.ports ? [...props.ports] : undefined,
      envVariables: props.envVariables,
      lifecycle: props.shutdown && { preStop: kplus.Handler.fromCommand([...props.shutdown.preStop]) },
      startup: this.probe('startupProbe', props.startup ?? props.readiness, {
        periodSeconds: 5,
        timeoutSeconds: 3,
        failureThreshold: Math.ceil((props.startupSeconds ?? 60) / 5),
      }),
      readiness: this.probe('readinessProbe', props.readiness, { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }),
      liveness: this.probe('livenessProbe', props.liveness, { periodSeconds: 20, timeoutSeconds: 10, failureThreshold: 3 }),
      securityContext: { ...RESTRICTED_CONTAINER, user, group: user },
      resources: {
        cpu: { request: kplus.Cpu.millis(settings.resources.cpuRequest), limit: kplus.Cpu.millis(settings.resources.cpuLimit) },
        memory: {
          request: Size.mebibytes(settings.resources.memoryRequest),
          limit: Size.mebibytes(settings.resources.memoryLimit),
        },
      },
    });

    for (const dir of ['/tmp', ...(props.writableDirs ?? [])]) this.mountScratch(dir);
    if (props.persistentVolume) this.addVolumeClaimTemplate(props.persistentVolume);
    if (props.allowDns ?? true) this.allowClusterDns();

    if (props.autoscaling) {
      this.autoscaler = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
        metadata: { name: props.name, namespace: props.namespace, labels },
        target: this.workload as kplus.Deployment,
        minReplicas: settings.replicas,
        maxReplicas: props.autoscaling.maxReplicas,
        metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(props.autoscaling.cpuUtilization))],
      });
    }

    // No Docker-link variables for every Service in the namespace: they leak names and ports into
    // the environment and can shadow the app's own settings (e.g. RABBITMQ_PORT).
    ApiObject.of(this.workload).addJsonPatch(JsonPatch.add('/spec/template/spec/enableServiceLinks', false));

    // maxUnavailable (not minAvailable) so a one-replica dev workload never blocks a node drain.
    this.podDisruptionBudget = new kplus.k8s.KubePodDisruptionBudget(this, 'Budget', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: this.workload.matchLabels } },
    });
  }

  /**
   * A step that runs to completion before the main container starts, with the main container's image,
   * user and hardening, small fixed resources, and the given mounts (volume names of the pod, the
   * persistent volume's included).
   */
  addSetupStep(name: string, command: readonly string[], mounts: readonly { readonly volume: string; readonly path: string; readonly readOnly?: boolean }[]): void {
    const main = this.container;
    const user = main.securityContext.user!;
    // The first step creates the list, later ones append to it, in the order they were added.
    const first = this.setupSteps++ === 0;
    const add = (step: Record<string, unknown>) =>
      first ? JsonPatch.add('/spec/template/spec/initContainers', [step]) : JsonPatch.add('/spec/template/spec/initContainers/-', step);
    ApiObject.of(this.workload).addJsonPatch(
      add(
        {
          name,
          image: main.image,
          imagePullPolicy: 'IfNotPresent',
          command: [...command],
          securityContext: {
            runAsNonRoot: true,
            runAsUser: user,
            runAsGroup: user,
            privileged: false,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
          resources: {
            requests: { cpu: kplus.k8s.Quantity.fromString('10m'), memory: kplus.k8s.Quantity.fromString('16Mi') },
            limits: { cpu: kplus.k8s.Quantity.fromString('100m'), memory: kplus.k8s.Quantity.fromString('64Mi') },
          },
          volumeMounts: mounts.map((m) => ({ name: m.volume, mountPath: m.path, ...(m.readOnly ? { readOnly: true } : {}) })),
        },
      ),
    );
  }

  /** Mounts an emptyDir at `path`: scratch space that lives and dies with the pod. */
  private mountScratch(path: string): void {
    const name = `scratch${path.replace(/[^a-z0-9]+/gi, '-')}`.toLowerCase().replace(/-+$/, '');
    this.container.mount(path, kplus.Volume.fromEmptyDir(this, name, name, { sizeLimit: Size.mebibytes(256) }));
  }

  /**
   * DNS egress that works on every network plugin: the kube-dns pods by label (Cilium, as in GKE
   * Dataplane V2, never matches pod IPs with ipBlock, and translates the kube-dns Service VIP to pod
   * IPs before policy), plus the two link-local resolvers GKE uses: NodeLocal DNSCache
   * (169.254.20.10) and Cloud DNS for GKE (169.254.169.254). Only this pod's egress is written
   * (isolation POD): a policy in kube-system would cut DNS for every other workload there.
   */
  private allowClusterDns(): void {
    const ports = [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)];
    const kubeDns = kplus.Pods.select(this, 'KubeDns', {
      labels: { 'k8s-app': 'kube-dns' },
      namespaces: kplus.Namespaces.select(this, 'KubeSystem', { names: ['kube-system'] }),
    });
    this.workload.connections.allowTo(kubeDns, { ports, isolation: kplus.PodConnectionsIsolation.POD });
    for (const [id, cidr] of [['NodeLocalDns', '169.254.20.10/32'], ['CloudDns', '169.254.169.254/32']]) {
      this.workload.connections.allowTo(kplus.NetworkPolicyIpBlock.ipv4(this, id, cidr), { ports, isolation: kplus.PodConnectionsIsolation.POD });
    }
  }

  /** A cdk8s-plus probe; gRPC, which cdk8s-plus-28 lacks, is written into the main container instead. */
  private probe(field: 'startupProbe' | 'readinessProbe' | 'livenessProbe', check: HealthCheck, timing: ProbeTiming): kplus.Probe | undefined {
    const options = {
      periodSeconds: Duration.seconds(timing.periodSeconds),
      timeoutSeconds: Duration.seconds(timing.timeoutSeconds),
      failureThreshold: timing.failureThreshold,
    };
    if ('httpGet' in check) return kplus.Probe.fromHttpGet(check.httpGet, { ...options, port: check.port });
    if ('tcp' in check) return kplus.Probe.fromTcpSocket({ ...options, port: check.tcp });
    if ('command' in check) return kplus.Probe.fromCommand([...check.command], options);
    ApiObject.of(this.workload).addJsonPatch(JsonPatch.add(`/spec/template/spec/containers/0/${field}`, { grpc: { port: check.grpc }, ...timing }));
    return undefined;
  }

  private addVolumeClaimTemplate(volume: PersistentVolumeOptions): void {
    // cdk8s-plus-28 StatefulSets have no volumeClaimTemplates: add the L1 fields.
    const apiObject = ApiObject.of(this.workload);
    apiObject.addJsonPatch(
      JsonPatch.add('/spec/volumeClaimTemplates', [
        {
          metadata: { name: volume.name },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: volume.storageClass,
            // The L1 re-renders patched JSON through its typed model, which reads quantities from Quantity objects.
            resources: { requests: { storage: kplus.k8s.Quantity.fromString(formatMemory(volume.sizeMebibytes)) } },
          },
        },
      ]),
      JsonPatch.add('/spec/persistentVolumeClaimRetentionPolicy', {
        whenDeleted: volume.retain ? 'Retain' : 'Delete',
        whenScaled: volume.retain ? 'Retain' : 'Delete',
      }),
      // Appends to the mounts cdk8s-plus rendered; /tmp is always among them, so the list exists.
      JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: volume.name, mountPath: volume.mountPath }),
    );
  }
}

interface ProbeTiming {
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}
