/**
 * Schema validation offline, and strictly.
 *
 * Types, required fields and formats: kubernetes-models 4.5.1 ships a validator per Kubernetes type,
 * compiled from the upstream OpenAPI document. Its README still says 1.27, but its schemas are newer
 * (they know 1.30's appArmorProfile and 1.33's stopSignal), and they accept any unknown field: `imagee:`
 * passes.
 *
 * Unknown fields: no hand-written shape. A generated validator or serializer reads exactly the
 * properties its schema declares (and every key of a map), so the strict pass runs it on a proxy of
 * the object and records what it reads; a key nobody read is not a field. It does this twice: with
 * the kubernetes-models validator, and with cdk8s-plus-28's serializers, generated from the
 * Kubernetes 1.28 OpenAPI document. A key unknown to both is misspelled; a key only kubernetes-models
 * knows appeared after 1.28, and a 1.28 API server would refuse or drop it; a key only the serializer
 * reads differs in case from the real field (the serializers match camelCase names like `clusterIp`).
 */
import { k8s } from 'cdk8s-plus-28';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import * as gatewayV1 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import { Manifest, pointerToPath, refOf } from './manifest';
import { CheckResult } from './results';

/** The API groups the kit validates; kinds elsewhere fail the schema check rather than pass unseen. */
const GROUPS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'autoscaling/v2': autoscalingV2,
  'batch/v1': batchV1,
  'networking.k8s.io/v1': networkingV1,
  'policy/v1': policyV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  // Gateway API v1 (its CRDs' schemas as of v1.0, from @kubernetes-models/gateway-api): no 1.28 serializer, being no built-in API.
  'gateway.networking.k8s.io/v1': gatewayV1,
};

/** Kinds defined by CRDs: only their own schema says which fields exist. */
const CRD_GROUPS = new Set(['gateway.networking.k8s.io/v1']);

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(): void };
}

interface ValidationFailure {
  readonly errors?: readonly { instancePath: string; message?: string }[];
}

/** cdk8s-plus-28's generated 1.28 serializer of each kind, by `apiVersion/kind`. */
const SERIALIZERS_1_28 = new Map<string, (props: unknown) => unknown>();
for (const [name, value] of Object.entries(k8s)) {
  const gvk = (value as { GVK?: { apiVersion: string; kind: string } }).GVK;
  const serializer = (k8s as unknown as Record<string, unknown>)[`toJson_${name}Props`];
  if (gvk && typeof serializer === 'function') SERIALIZERS_1_28.set(`${gvk.apiVersion}/${gvk.kind}`, serializer as (props: unknown) => unknown);
}

export function checkSchema(manifest: Manifest): CheckResult[] {
  const object = refOf(manifest);
  const model = modelFor(manifest);
  const crd = CRD_GROUPS.has(manifest.apiVersion);
  const serializer = SERIALIZERS_1_28.get(`${manifest.apiVersion}/${manifest.kind}`);
  if (!model || (!serializer && !crd)) {
    const message = `no Kubernetes 1.28 schema for apiVersion ${manifest.apiVersion} kind ${manifest.kind} among ${Object.keys(GROUPS).join(', ')}`;
    return [
      { check: 'schema', object, field: 'apiVersion', message, pass: false },
      { check: 'schema-strict', object, field: 'apiVersion', message, pass: false },
    ];
  }

  // A private copy: the proxies record reads per object, so shared references must not merge.
  const copy = structuredClone(manifest);
  // The Gateway API models find their schema through the prototype: lend it to the plain copy.
  if (crd) Object.setPrototypeOf(copy, model.prototype);
  const modelReads = new WeakMap<object, Set<string>>();
  const errors = validate(model, track(copy, modelReads, new WeakMap(), false));
  // A CRD kind has its schema only: what the validator reads is what exists.
  const reads128 = crd ? modelReads : new WeakMap<object, Set<string>>();
  const readable = serializer ? serialize(serializer, track(copy, reads128, new WeakMap(), true)) : errors.length === 0;
  // The envelope is read by the API machinery, not described among a kind's properties.
  reads128.get(copy)?.add('apiVersion').add('kind').add('status');

  const schema: CheckResult[] = errors.map((e) => ({ check: 'schema', object, field: e.field, message: e.message, pass: false }));
  const strict: CheckResult[] = readable
    ? unknownKeys(copy, reads128, modelReads, '').map(({ field, key, inModels, in128 }) => ({
        check: 'schema-strict',
        object,
        field,
        message: in128
          ? `${key} is not spelled as the API spells it: field names are case-sensitive`
          : inModels
            ? `${key} is not in the Kubernetes 1.28 schema of ${manifest.kind}: it appeared in a later version, and a 1.28 API server refuses it`
            : `${key} is not a field of ${manifest.apiVersion} ${manifest.kind} at this place (misspelled?)`,
        pass: false,
      }))
    : [{ check: 'schema-strict', object, field: '', message: 'cannot be read as a Kubernetes 1.28 object: fix the schema errors first', pass: false }];
  return [
    ...(schema.length ? schema : [{ check: 'schema', object, field: '', message: `valid ${manifest.apiVersion} ${manifest.kind}`, pass: true } as const]),
    ...(strict.length ? strict : [{ check: 'schema-strict', object, field: '', message: 'every field is in the Kubernetes 1.28 schema', pass: true } as const]),
  ];
}

function modelFor(manifest: Manifest): ModelClass | undefined {
  const candidate = GROUPS[manifest.apiVersion]?.[manifest.kind] as Partial<ModelClass> | undefined;
  const isModel = candidate?.kind === manifest.kind && candidate?.apiVersion === manifest.apiVersion && candidate?.prototype?.validate;
  return isModel ? (candidate as ModelClass) : undefined;
}

function validate(model: ModelClass, data: Manifest): { field: string; message: string }[] {
  try {
    model.prototype.validate.call(data);
    return [];
  } catch (err) {
    const found = (err as ValidationFailure).errors;
    if (!found) throw err;
    const unique = new Map(found.map((e) => [`${e.instancePath} ${e.message}`, { field: pointerToPath(e.instancePath), message: e.message ?? 'is invalid' }]));
    return [...unique.values()];
  }
}

/** Runs a 1.28 serializer for its reads only; a type error it trips over is the schema pass's to report. */
function serialize(serializer: (props: unknown) => unknown, data: Manifest): boolean {
  try {
    serializer(data);
    return true;
  } catch {
    return false;
  }
}

/** The serializers read camelCase properties (`clusterIp`) of fields the API spells `clusterIP`. */
const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A proxy of `value` that records, per plain object, the property names read through it. With
 * `aliases`, a read of a name the object lacks resolves to the key that differs only in case or
 * punctuation, and records that key.
 */
function track<T>(value: T, reads: WeakMap<object, Set<string>>, proxies: WeakMap<object, unknown>, aliases: boolean): T {
  if (value === null || typeof value !== 'object') return value;
  const existing = proxies.get(value);
  if (existing) return existing as T;
  const seen = new Set<string>();
  reads.set(value, seen);
  const resolve = (target: object, key: string) =>
    aliases && !Array.isArray(target) && !(key in target) ? (Object.keys(target).find((k) => normalize(k) === normalize(key)) ?? key) : key;
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key !== 'string') return Reflect.get(target, key, receiver);
      const actual = resolve(target, key);
      seen.add(actual);
      return track(Reflect.get(target, actual, receiver), reads, proxies, aliases);
    },
    has(target, key) {
      if (typeof key === 'string') seen.add(resolve(target, key));
      return Reflect.has(target, key);
    },
  });
  proxies.set(value, proxy);
  return proxy;
}

interface UnknownKey {
  readonly field: string;
  readonly key: string;
  /** Read by the kubernetes-models validator, which matches names exactly. */
  readonly inModels: boolean;
  /** Read by a 1.28 serializer, which matches names up to case. */
  readonly in128: boolean;
}

/** Keys both readers must know: 1.28 says the field exists, kubernetes-models that it is spelled exactly so. */
function unknownKeys(value: unknown, reads128: WeakMap<object, Set<string>>, modelReads: WeakMap<object, Set<string>>, path: string): UnknownKey[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => unknownKeys(item, reads128, modelReads, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const field = path ? `${path}.${key}` : key;
    const in128 = reads128.get(value)?.has(key) ?? false;
    const inModels = modelReads.get(value)?.has(key) ?? false;
    return in128 && inModels ? unknownKeys((value as Manifest)[key], reads128, modelReads, field) : [{ field, key, inModels, in128 }];
  });
}
