/**
 * Workload rules about staying up through voluntary disruptions and scaling: PodDisruptionBudgets
 * and HorizontalPodAutoscalers.
 */
import type { IHorizontalPodAutoscalerSpec } from 'kubernetes-models/autoscaling/v2';
import type { IPodDisruptionBudgetSpec } from 'kubernetes-models/policy/v1';
import { Severity, finding } from '../finding.js';
import type { Finding, ManifestObject, PolicyContext, PolicyRule } from '../finding.js';
import { describeObject, podSpecOf } from '../../core/pod.js';
import {
  findByKey, findNamed, formatLabels, groupOf, namespaceOf, namespacePhrase, podBearersSelectedBy, podMetadataPath, selectorsMatching,
} from './_selector.js';

/** HorizontalPodAutoscaler API versions read (v1 and v2 share scaleTargetRef, minReplicas and maxReplicas). */
export const HPA_API_VERSIONS: readonly string[] = ['autoscaling/v2', 'autoscaling/v1'];
/** PodDisruptionBudget API version read (policy/v1beta1 is gone since Kubernetes 1.25 and selects differently). */
export const PDB_API_VERSIONS: readonly string[] = ['policy/v1'];

/** Kinds whose pod count is `spec.replicas` (default 1). */
const REPLICATED_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** `spec.replicas` when it is set to a number. */
export function replicasOf(object: ManifestObject): number | undefined {
  const replicas = (object.spec as { replicas?: unknown } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : undefined;
}

function hpaSpecOf(hpa: ManifestObject): Partial<IHorizontalPodAutoscalerSpec> {
  return (hpa.spec ?? {}) as Partial<IHorizontalPodAutoscalerSpec>;
}

/** Whether `hpa`'s scaleTargetRef names `object` (kind, name, API group when given, and namespace). */
export function isScaleTargetOf(hpa: ManifestObject, object: ManifestObject): boolean {
  const ref = hpaSpecOf(hpa).scaleTargetRef;
  return ref !== undefined
    && ref.kind === object.kind
    && ref.name === object.metadata?.name
    && (ref.apiVersion === undefined || groupOf(ref.apiVersion) === groupOf(object.apiVersion))
    && namespaceOf(hpa) === namespaceOf(object);
}

/** The name an HPA's scaleTargetRef gives, for the index of HPAs by target. */
const scaleTargetName = (hpa: ManifestObject): string | undefined => {
  const name = hpaSpecOf(hpa).scaleTargetRef?.name;
  return typeof name === 'string' ? name : undefined;
};

/** The HorizontalPodAutoscalers in the context that scale `object`. */
export function autoscalersOf(context: PolicyContext, object: ManifestObject): ManifestObject[] {
  const query = { kind: 'HorizontalPodAutoscaler', apiVersions: HPA_API_VERSIONS, namespace: namespaceOf(object) };
  return findByKey(context, query, scaleTargetName, object.metadata?.name).filter((hpa) => isScaleTargetOf(hpa, object));
}

/** The object an HPA scales, when it is in the context. */
export function scaleTargetOf(context: PolicyContext, hpa: ManifestObject): ManifestObject | undefined {
  const ref = hpaSpecOf(hpa).scaleTargetRef;
  if (ref === undefined || typeof ref.kind !== 'string') return undefined;
  return findNamed(context, ref.kind, namespaceOf(hpa), ref.name).find((candidate) => isScaleTargetOf(hpa, candidate));
}

/** A PodDisruptionBudget's selector (absent: a null selector, which selects no pods). */
const pdbSelector = (pdb: ManifestObject) => (pdb.spec as IPodDisruptionBudgetSpec | undefined)?.selector;

// ---------------------------------------------------------------------------------------------
// kit-pdb

/**
 * `kit-pdb`: a replicated or autoscaled Deployment or StatefulSet has a PodDisruptionBudget, and
 * none blocks every voluntary eviction.
 */
export const KIT_PDB: PolicyRule = {
  id: 'kit-pdb',
  severity: Severity.ERROR,
  description: 'A Deployment or StatefulSet with more than one replica, or scaled by an HPA, has a PodDisruptionBudget, and no PodDisruptionBudget blocks every voluntary eviction.',
  check: (object, context) => object.kind === 'PodDisruptionBudget' ? checkBlockingPdb(object, context) : checkPdbPresent(object, context),
};

function checkPdbPresent(object: ManifestObject, context: PolicyContext): Finding[] {
  if ((object.kind !== 'Deployment' && object.kind !== 'StatefulSet') || groupOf(object.apiVersion) !== 'apps') return [];
  const pod = podSpecOf(object);
  if (!pod) return [];
  const replicas = replicasOf(object) ?? 1;
  const autoscaler = autoscalersOf(context, object)[0];
  if (replicas <= 1 && !autoscaler) return [];

  const namespace = namespaceOf(object);
  const labels = pod.templateMetadata.labels;
  const covered = selectorsMatching(context, { kind: 'PodDisruptionBudget', apiVersions: PDB_API_VERSIONS, namespace }, pdbSelector, labels);
  if (covered.length > 0) return [];

  const why = autoscaler
    ? `is scaled by ${describeObject(autoscaler)}`
    : `runs ${replicas} replicas (spec.replicas)`;
  return [finding(KIT_PDB, {
    path: autoscaler ? `${podMetadataPath(pod)}.labels` : 'spec.replicas',
    message: `${describeObject(object)} ${why} but no PodDisruptionBudget (policy/v1) ${namespacePhrase(namespace)} selects its pod labels ${formatLabels(labels)}, so a node drain may evict all of its pods at once.`,
    fix: `Add a policy/v1 PodDisruptionBudget ${namespacePhrase(namespace)} whose spec.selector.matchLabels is ${formatLabels(labels)}, with spec.maxUnavailable: 1.`,
  })];
}

/** A percentage IntOrString (`"50%"`) as a number, or undefined. */
function percentOf(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}

/** How many pods a selected workload runs at its smallest, and how to say it; undefined when unknown. */
function smallestPodCount(context: PolicyContext, workload: ManifestObject): { count: number; text: string } | undefined {
  if (workload.kind === 'Pod') return { count: 1, text: `${describeObject(workload)} (1 pod)` };
  if (!REPLICATED_KINDS.has(workload.kind)) return undefined; // DaemonSets, Jobs, CronJobs: not knowable from the manifest
  const autoscaler = autoscalersOf(context, workload)[0];
  if (autoscaler) {
    const min = hpaSpecOf(autoscaler).minReplicas ?? 1;
    return { count: min, text: `${describeObject(workload)} (${min} replicas at the minReplicas of ${describeObject(autoscaler)})` };
  }
  const replicas = replicasOf(workload) ?? 1;
  return { count: replicas, text: `${describeObject(workload)} (${replicas} replicas)` };
}

const BLOCKS = 'so it blocks every voluntary eviction: node drains and cluster upgrades hang';

function checkBlockingPdb(pdb: ManifestObject, context: PolicyContext): Finding[] {
  if (!PDB_API_VERSIONS.includes(pdb.apiVersion)) return [];
  const spec = (pdb.spec ?? {}) as IPodDisruptionBudgetSpec;
  const name = describeObject(pdb);

  const { maxUnavailable, minAvailable } = spec;
  if (maxUnavailable === 0 || percentOf(maxUnavailable) === 0) {
    return [finding(KIT_PDB, {
      path: 'spec.maxUnavailable',
      message: `${name} has spec.maxUnavailable ${JSON.stringify(maxUnavailable)}, ${BLOCKS}.`,
      fix: 'Set spec.maxUnavailable to 1 (or a percentage above 0%).',
    })];
  }
  if (minAvailable === undefined) return [];
  if (percentOf(minAvailable) === 100) {
    return [finding(KIT_PDB, {
      path: 'spec.minAvailable',
      message: `${name} has spec.minAvailable "100%", ${BLOCKS}.`,
      fix: 'Replace spec.minAvailable with spec.maxUnavailable: 1, or lower it below 100%.',
    })];
  }

  const selected = podBearersSelectedBy(context, namespaceOf(pdb), spec.selector);
  const counts = selected.map((workload) => smallestPodCount(context, workload));
  if (selected.length === 0 || counts.some((count) => count === undefined)) return [];
  const known = counts as { count: number; text: string }[];
  const pods = known.reduce((sum, workload) => sum + workload.count, 0);
  const percent = percentOf(minAvailable);
  // The disruption controller scales a percentage against the pod count, rounding up.
  const required = percent !== undefined ? Math.ceil((percent * pods) / 100) : typeof minAvailable === 'number' ? minAvailable : undefined;
  if (required === undefined || pods === 0 || required < pods) return [];
  return [finding(KIT_PDB, {
    path: 'spec.minAvailable',
    message: `${name} has spec.minAvailable ${JSON.stringify(minAvailable)}${percent !== undefined ? ` (${required} pods, rounded up)` : ''} and selects ${known.map((workload) => workload.text).join(', ')}: ${pods} pods in all, ${BLOCKS}.`,
    fix: `Lower spec.minAvailable below ${pods} (the pods it selects), or replace it with spec.maxUnavailable: 1.`,
  })];
}

// ---------------------------------------------------------------------------------------------
// kit-hpa-replicas

/**
 * `kit-hpa-replicas`: a HorizontalPodAutoscaler scales an object defined alongside it, which leaves
 * `spec.replicas` unset, and its `minReplicas` is at most its `maxReplicas`.
 */
export const KIT_HPA_REPLICAS: PolicyRule = {
  id: 'kit-hpa-replicas',
  severity: Severity.ERROR,
  description: 'A HorizontalPodAutoscaler scales an object defined alongside it, which leaves spec.replicas unset, and its minReplicas is at most its maxReplicas.',
  check: checkHpa,
};

function checkHpa(hpa: ManifestObject, context: PolicyContext): Finding[] {
  if (hpa.kind !== 'HorizontalPodAutoscaler' || !HPA_API_VERSIONS.includes(hpa.apiVersion)) return [];
  const spec = hpaSpecOf(hpa);
  const name = describeObject(hpa);
  const out: Finding[] = [];

  const ref = spec.scaleTargetRef;
  const target = scaleTargetOf(context, hpa);
  const refText = ref ? `${ref.kind}/${ref.name}${ref.apiVersion ? ` (${ref.apiVersion})` : ''}` : 'nothing';
  if (!target) {
    out.push(finding(KIT_HPA_REPLICAS, {
      path: 'spec.scaleTargetRef',
      message: `${name} targets ${refText}, which is not among the objects validated with it ${namespacePhrase(namespaceOf(hpa))}, so it scales nothing deployed with it.`,
      fix: 'Point spec.scaleTargetRef at the kind, name and apiVersion of a workload defined in the same namespace, or define that workload.',
    }));
  } else {
    const replicas = replicasOf(target);
    if (replicas !== undefined) {
      out.push(finding(KIT_HPA_REPLICAS, {
        path: 'spec.scaleTargetRef',
        message: `${name} scales ${describeObject(target)}, which sets spec.replicas to ${replicas}: every apply resets the replica count the autoscaler chose.`,
        fix: `Remove spec.replicas from ${describeObject(target)} and let ${name} own the replica count through spec.minReplicas.`,
      }));
    }
  }

  const max = spec.maxReplicas;
  const min = spec.minReplicas ?? 1;
  if (typeof max !== 'number') {
    out.push(finding(KIT_HPA_REPLICAS, {
      path: 'spec.maxReplicas',
      message: `${name} has no spec.maxReplicas (found: ${JSON.stringify(max ?? null)}); the API server requires it.`,
      fix: `Set spec.maxReplicas to the most replicas the workload may run, at least ${min}.`,
    }));
  } else if (min > max) {
    out.push(finding(KIT_HPA_REPLICAS, {
      path: 'spec.minReplicas',
      message: `${name} has spec.minReplicas ${min}${spec.minReplicas === undefined ? ' (the default)' : ''} above spec.maxReplicas ${max}.`,
      fix: `Lower spec.minReplicas to at most ${max}, or raise spec.maxReplicas to at least ${min}.`,
    }));
  }
  return out;
}
