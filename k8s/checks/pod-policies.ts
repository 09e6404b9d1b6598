/**
 * Policies over every pod template: Pod Security Standards (baseline and restricted, as the
 * admission controller of Kubernetes 1.28 enforces them), read-only root, resources, probes,
 * pinned images, service account tokens and secrets in the environment.
 */
import { parseQuantity } from '../quantity';
import { ContainerAt, Manifest, PodTemplate, containersOf } from './manifest';
import { CheckId, CheckResult, Findings } from './results';

type PodCheck = (template: PodTemplate, containers: readonly ContainerAt[], findings: Findings) => string;

const ALLOWED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const NEEDS_API_ANNOTATION = 'iac-lab-kit/needs-kubernetes-api';
export const CREDENTIAL_NAME = /PASS(WORD)?|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|COOKIE/i;
/** The sysctls Pod Security baseline allows in Kubernetes 1.28 (pod-security-standards, "Sysctls"). */
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports'];
/** SELinux types baseline allows; user and role must stay unset. */
const SELINUX_TYPES = [undefined, '', 'container_t', 'container_init_t', 'container_kvm_t'];
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

const POD_CHECKS = {
  'pss-baseline': (t, containers, f) => {
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (t.spec[field] === true) f.fail(`${t.path}.${field}`, `${field} shares the node's namespace with the pod`);
    }
    const podContext = t.spec.securityContext ?? {};
    ((podContext.sysctls ?? []) as Manifest[]).forEach((sysctl, i) => {
      if (!SAFE_SYSCTLS.includes(sysctl.name)) f.fail(`${t.path}.securityContext.sysctls[${i}].name`, `sysctl ${sysctl.name} is not in the safe set baseline allows`);
    });
    const seLinux = (context: Manifest, at: string, who: string) => {
      const options = context.seLinuxOptions;
      if (options === undefined) return;
      if (!SELINUX_TYPES.includes(options.type)) f.fail(`${at}.seLinuxOptions.type`, `${who} sets SELinux type ${options.type}: baseline allows container_t, container_init_t and container_kvm_t`);
      if (options.user || options.role) f.fail(`${at}.seLinuxOptions`, `${who} sets an SELinux user or role, which baseline forbids`);
    };
    const hostProcess = (context: Manifest, at: string, who: string) => {
      if (context.windowsOptions?.hostProcess === true) f.fail(`${at}.windowsOptions.hostProcess`, `${who} runs as a Windows HostProcess container, with the node's privileges`);
    };
    seLinux(podContext, `${t.path}.securityContext`, 'the pod');
    hostProcess(podContext, `${t.path}.securityContext`, 'the pod');
    for (const [key, value] of Object.entries(t.annotations)) {
      if (key.startsWith(APPARMOR_ANNOTATION) && value !== 'runtime/default' && !value.startsWith('localhost/')) {
        f.fail(`metadata.annotations.${key}`, `AppArmor profile ${value}: baseline allows runtime/default or a localhost/ profile`);
      }
    }
    for (const { container, path } of containers) {
      const own = container.securityContext ?? {};
      if (own.privileged === true) f.fail(`${path}.securityContext.privileged`, `container ${container.name} is privileged`);
      if (own.procMount !== undefined && own.procMount !== 'Default') f.fail(`${path}.securityContext.procMount`, `container ${container.name} unmasks /proc (procMount ${own.procMount})`);
      seLinux(own, `${path}.securityContext`, `container ${container.name}`);
      hostProcess(own, `${path}.securityContext`, `container ${container.name}`);
      ((container.ports ?? []) as Manifest[]).forEach((port, i) => {
        if (port.hostPort) f.fail(`${path}.ports[${i}].hostPort`, `container ${container.name} binds host port ${port.hostPort}`);
      });
    }
    return 'no privileged container, host namespace, host port, unsafe sysctl, unmasked /proc, or SELinux, AppArmor or HostProcess escape';
  },

  'pss-run-as-non-root': (t, containers, f) => {
    const pod = t.spec.securityContext ?? {};
    if (pod.runAsUser === 0) f.fail(`${t.path}.securityContext.runAsUser`, 'the pod runs as user 0 (root)');
    for (const { container, path } of containers) {
      const own = container.securityContext ?? {};
      if (own.runAsUser === 0) f.fail(`${path}.securityContext.runAsUser`, `container ${container.name} runs as user 0 (root)`);
      if (own.runAsNonRoot === false) f.fail(`${path}.securityContext.runAsNonRoot`, `container ${container.name} sets runAsNonRoot false`);
      else if (own.runAsNonRoot !== true && pod.runAsNonRoot !== true) {
        f.fail(`${path}.securityContext.runAsNonRoot`, `container ${container.name} may run as root: set runAsNonRoot true on it or on the pod`);
      }
    }
    return 'every container runs as a non-root user';
  },

  'pss-privilege-escalation': (_t, containers, f) => {
    for (const { container, path } of containers) {
      if (container.securityContext?.allowPrivilegeEscalation !== false) {
        f.fail(`${path}.securityContext.allowPrivilegeEscalation`, `container ${container.name} must set allowPrivilegeEscalation false`);
      }
    }
    return 'no container can gain more privileges than its parent process';
  },

  'pss-capabilities': (_t, containers, f) => {
    for (const { container, path } of containers) {
      const capabilities = container.securityContext?.capabilities ?? {};
      if (!(capabilities.drop ?? []).includes('ALL')) f.fail(`${path}.securityContext.capabilities.drop`, `container ${container.name} must drop ALL capabilities`);
      const extra = ((capabilities.add ?? []) as string[]).filter((c) => c !== 'NET_BIND_SERVICE');
      if (extra.length) f.fail(`${path}.securityContext.capabilities.add`, `container ${container.name} adds ${extra.join(', ')}`);
    }
    return 'every container drops ALL capabilities';
  },

  'pss-seccomp': (t, containers, f) => {
    const allowed = (profile: Manifest | undefined) => profile?.type === 'RuntimeDefault' || profile?.type === 'Localhost';
    const pod = t.spec.securityContext?.seccompProfile;
    if (pod && !allowed(pod)) f.fail(`${t.path}.securityContext.seccompProfile.type`, `the pod's seccomp profile is ${pod.type}`);
    for (const { container, path } of containers) {
      const own = container.securityContext?.seccompProfile;
      if (own ? !allowed(own) : !allowed(pod)) {
        f.fail(`${path}.securityContext.seccompProfile.type`, `container ${container.name} needs seccomp profile RuntimeDefault or Localhost (has ${own?.type ?? pod?.type ?? 'none'})`);
      }
    }
    return 'every container runs under a RuntimeDefault or Localhost seccomp profile';
  },

  'pss-volume-types': (t, _containers, f) => {
    ((t.spec.volumes ?? []) as Manifest[]).forEach((volume, i) => {
      const types = Object.keys(volume).filter((key) => key !== 'name');
      const refused = types.filter((type) => !ALLOWED_VOLUME_TYPES.includes(type));
      if (refused.length) f.fail(`${t.path}.volumes[${i}]`, `volume ${volume.name} is of type ${refused.join(', ')}, which restricted pods may not use`);
    });
    return 'only restricted volume types';
  },

  'read-only-root-filesystem': (_t, containers, f) => {
    for (const { container, path } of containers) {
      if (container.securityContext?.readOnlyRootFilesystem !== true) {
        f.fail(`${path}.securityContext.readOnlyRootFilesystem`, `container ${container.name} can write to its root filesystem`);
      }
    }
    return 'every root filesystem is read-only';
  },

  resources: (_t, containers, f) => {
    for (const { container, path } of containers) {
      for (const resource of ['cpu', 'memory']) {
        const request = container.resources?.requests?.[resource];
        const limit = container.resources?.limits?.[resource];
        if (parseQuantity(request) === undefined) f.fail(`${path}.resources.requests.${resource}`, `container ${container.name} requests no ${resource}`);
        if (parseQuantity(limit) === undefined) f.fail(`${path}.resources.limits.${resource}`, `container ${container.name} has no ${resource} limit`);
        if ((parseQuantity(request) ?? 0) > (parseQuantity(limit) ?? Infinity)) {
          f.fail(`${path}.resources.requests.${resource}`, `container ${container.name} requests ${request} ${resource}, more than its limit ${limit}`);
        }
      }
    }
    return 'every container requests and limits CPU and memory';
  },

  probes: (t, containers, f) => {
    // Jobs run to completion: nothing routes traffic to them and a restart is their retry.
    if (['Job', 'CronJob'].includes(t.owner.kind)) return 'run-to-completion pods need no readiness or liveness probe';
    for (const { container, path, init } of containers) {
      // Init containers run to completion; a native sidecar (restartPolicy Always) runs for the pod's life.
      if (init && container.restartPolicy !== 'Always') continue;
      for (const probe of ['readinessProbe', 'livenessProbe']) {
        if (!container[probe]) f.fail(`${path}.${probe}`, `container ${container.name} has no ${probe}`);
      }
    }
    return 'every long-running container has readiness and liveness probes';
  },

  'image-pinned': (_t, containers, f) => {
    for (const { container, path } of containers) {
      const image = String(container.image ?? '');
      const tag = /:([\w][\w.-]{0,127})$/.exec(image.split('/').pop() ?? '')?.[1];
      if (!/@sha256:[a-f0-9]{64}$/.test(image) && (!tag || tag === 'latest')) {
        f.fail(`${path}.image`, `container ${container.name} image ${image || '(none)'} is not pinned: name a version tag or a digest`);
      }
    }
    return 'every image is pinned';
  },

  'service-account-token': (t, _containers, f) => {
    const reason = t.annotations[NEEDS_API_ANNOTATION];
    if (t.spec.automountServiceAccountToken !== false && !reason) {
      f.fail(`${t.path}.automountServiceAccountToken`, `pods get a Kubernetes API token they do not need: set false, or annotate ${NEEDS_API_ANNOTATION} with the reason`);
    }
    return reason ? `mounts an API token: ${reason}` : 'no Kubernetes API token is mounted';
  },

  'service-links': (t, _containers, f) => {
    if (t.spec.enableServiceLinks !== false) {
      f.fail(`${t.path}.enableServiceLinks`, 'enableServiceLinks is not false: Kubernetes adds a <SERVICE>_PORT=tcp://... variable per Service in the namespace, which can clash with the app\'s own (RABBITMQ_PORT)');
    }
    return 'no Service link variables in the environment';
  },

  'secret-env': (_t, containers, f) => {
    for (const { container, path } of containers) {
      ((container.env ?? []) as Manifest[]).forEach((env, i) => {
        if (CREDENTIAL_NAME.test(env.name) && env.value !== undefined) {
          f.fail(`${path}.env[${i}].value`, `container ${container.name} sets ${env.name} to a literal value: take it from a Secret (valueFrom.secretKeyRef)`);
        }
      });
    }
    return 'credentials come from Secrets, never literal values';
  },
} satisfies Partial<Record<CheckId, PodCheck>>;

export function checkPodTemplate(template: PodTemplate): CheckResult[] {
  const containers = containersOf(template);
  return Object.entries(POD_CHECKS).flatMap(([id, check]) => {
    const findings = new Findings(id as CheckId, template.ref);
    const passMessage = check(template, containers, findings);
    return findings.results(template.path, passMessage);
  });
}
