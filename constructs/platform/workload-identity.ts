/**
 * WorkloadIdentity: one Kubernetes ServiceAccount bound to a cloud identity, so the pods that
 * run as it reach S3, Key Vault or a queue without keys. The construct is the Kubernetes half
 * and the request for the cloud half, which the stack creates from it (stacks/program.ts
 * finds every WorkloadIdentity of the App):
 *
 * - on EKS, an IAM role with the given policy and an EKS Pod Identity association for the
 *   ServiceAccount (nothing changes on the Kubernetes side);
 * - on AKS, a user-assigned managed identity with a federated credential for the cluster's
 *   OIDC issuer and this ServiceAccount, and the given role assignments; the ServiceAccount
 *   carries the identity's client id (`azure.workload.identity/client-id`, a cluster value the
 *   stack fills in: core/cluster-values.ts) and the pods the label that asks AKS's webhook to
 *   inject the token (`podLabels`).
 */
import { ApiObject, type App } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { Construct, type IConstruct } from 'constructs';
import { clusterValue, identityClientIdValue } from '../core/cluster-values.js';
import { PropsValidator } from '../core/errors.js';
import type { ManifestObject } from '../core/manifest.js';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import type { HelmChartRelease } from './helm-release.js';

/** The annotation AKS's workload identity webhook reads the client id from. */
export const AZURE_CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';
/** The pod label that asks AKS's workload identity webhook to project the token into the pod. */
export const AZURE_USE_LABEL = 'azure.workload.identity/use';

/**
 * Azure built-in roles a workload identity commonly needs, by name; any other role is given
 * by its role definition id (a GUID).
 * @see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 */
export const AZURE_BUILT_IN_ROLES = {
  'Reader': 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Key Vault Certificate User': 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
  'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  'DNS Zone Contributor': 'befefa01-2a29-4197-83a8-272ff33ce314',
  'AcrPull': '7f951dda-4ed3-4680-a7ca-43fe172d538d',
} as const;

/** A built-in role's name in {@link AZURE_BUILT_IN_ROLES}. */
export type AzureBuiltInRole = keyof typeof AZURE_BUILT_IN_ROLES;

/** One Azure role assignment of a workload identity. */
export interface AzureRoleAssignment {
  /** A role of {@link AZURE_BUILT_IN_ROLES} by name, or any role by its definition id (a GUID). */
  readonly role: AzureBuiltInRole | (string & {});
  /** The resource id the role is assigned on: `/subscriptions/<id>/resourceGroups/<group>/providers/…`. */
  readonly scope: string;
}

/** A ServiceAccount by namespace and name (one a Helm release creates, say). */
export interface ServiceAccountRef {
  /** The ServiceAccount's namespace. */
  readonly namespace: string;
  /** The ServiceAccount's name. */
  readonly name: string;
}

/** Properties of {@link WorkloadIdentity}. */
export interface WorkloadIdentityProps {
  /** The cloud of the cluster the workload runs on (`env.cloud`). */
  readonly cloud: 'aws' | 'azure';
  /**
   * The ServiceAccount the pods run as: a cdk8s-plus ServiceAccount of the App (it gets the
   * client id annotation on AKS), or the namespace and name of one that `createdBy` creates.
   */
  readonly serviceAccount: kplus.ServiceAccount | ServiceAccountRef;
  /**
   * The Helm release that creates the ServiceAccount, when it is not an object of the App
   * (its values must then carry {@link WorkloadIdentity.serviceAccountAnnotations}).
   * @default - the ServiceAccount is an object of the App
   */
  readonly createdBy?: HelmChartRelease;
  /**
   * EKS: the IAM policy document the role gets, as an object or JSON text
   * (`{ Version: '2012-10-17', Statement: [...] }`). Required on `aws`.
   * @default - none (only valid on azure)
   */
  readonly awsPolicy?: Record<string, unknown> | string;
  /**
   * AKS: the roles the managed identity is assigned, each on a scope.
   * @default [] (an identity with no role: assign roles elsewhere)
   */
  readonly azureRoles?: readonly AzureRoleAssignment[];
}

/** What the stack needs to create the cloud half of a {@link WorkloadIdentity}. */
export interface WorkloadIdentityRequest {
  /** The construct path, for messages and resource names. */
  readonly path: string;
  /** The cloud. */
  readonly cloud: 'aws' | 'azure';
  /** The ServiceAccount. */
  readonly serviceAccount: ServiceAccountRef;
  /**
   * The Helm release that creates the ServiceAccount.
   * @default - none: the ServiceAccount is an object of the App
   */
  readonly createdBy?: HelmChartRelease;
  /**
   * EKS: the policy document, as JSON text.
   * @default - none (an AKS identity)
   */
  readonly awsPolicy?: string;
  /** AKS: the role assignments, each role as its definition id. */
  readonly azureRoles: readonly { readonly roleDefinitionId: string; readonly scope: string }[];
  /** AKS: the cluster value that carries the identity's client id. */
  readonly clientIdValue: string;
}

/**
 * What a ServiceAccount and its pods carry on AKS for workload identity: the client id
 * annotation (a cluster value the stack fills in) and the pod label. For the values of a
 * Helm release that creates the ServiceAccount a {@link WorkloadIdentity} binds.
 */
export function azureWorkloadIdentityValues(serviceAccount: ServiceAccountRef): { readonly annotations: Record<string, string>; readonly podLabels: Record<string, string> } {
  return {
    annotations: { [AZURE_CLIENT_ID_ANNOTATION]: clusterValue(identityClientIdValue(serviceAccount)) },
    podLabels: { [AZURE_USE_LABEL]: 'true' },
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AZURE_SCOPE = /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\/resourceGroups\/[^/]+(\/providers\/[^/]+\/.+)?)?$/i;

/** A ServiceAccount bound to a cloud identity: an IAM role (EKS Pod Identity) or a managed identity (AKS workload identity). */
export class WorkloadIdentity extends Construct {
  /** Every WorkloadIdentity under `scope` (an App), in construct order. */
  public static of(scope: IConstruct): WorkloadIdentity[] {
    return scope.node.findAll().filter((c): c is WorkloadIdentity => c instanceof WorkloadIdentity);
  }

  /** The ServiceAccount bound. */
  public readonly serviceAccount: ServiceAccountRef;
  /** The cloud. */
  public readonly cloud: 'aws' | 'azure';
  /** The labels the workload's pods need: on AKS, `azure.workload.identity/use: 'true'`; none on EKS. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The annotations the ServiceAccount needs (for a Helm release's values): on AKS the client id; none on EKS. */
  public readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** What the stack creates in the cloud. */
  public readonly request: WorkloadIdentityRequest;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const v = new PropsValidator('WorkloadIdentity', this);
    const sa = props.serviceAccount;
    const isObject = 'metadata' in sa;
    const ref: ServiceAccountRef = isObject ? { namespace: sa.metadata.namespace ?? '', name: sa.name } : { namespace: sa.namespace, name: sa.name };
    v.check('serviceAccount.namespace', ref.namespace, (ns) => (ns === '' ? 'is not set; the ServiceAccount needs a namespace' : dns1123LabelProblem(ns)), 'a namespace name (a DNS-1123 label)');
    v.check('serviceAccount.name', ref.name, dns1123SubdomainProblem, 'a ServiceAccount name (a DNS-1123 subdomain)');
    if (isObject && props.createdBy) throw v.conflict('serviceAccount is an object of the App and createdBy names a Helm release that creates it; give one (the release\'s ServiceAccount by namespace and name, with createdBy)');
    if (!isObject && !props.createdBy) {
      throw v.error({ field: 'createdBy', problem: `is not set, and serviceAccount names ${ref.namespace}/${ref.name} rather than an object of the App`, expected: 'the cdk8s-plus ServiceAccount, or the HelmChartRelease that creates it' });
    }
    if (props.createdBy && props.createdBy.namespace !== ref.namespace) {
      throw v.error({ field: 'serviceAccount.namespace', value: ref.namespace, problem: `is not the namespace of the release that creates it (createdBy installs into '${props.createdBy.namespace}')` });
    }

    let awsPolicy: string | undefined;
    if (props.cloud === 'aws') {
      if (props.awsPolicy === undefined) throw v.error({ field: 'awsPolicy', problem: "is not set; on 'aws' the role needs a policy", expected: "an IAM policy document such as { Version: '2012-10-17', Statement: [...] }" });
      if ((props.azureRoles ?? []).length > 0) throw v.conflict("azureRoles are given but cloud is 'aws'; give awsPolicy only");
      awsPolicy = policyText(v, props.awsPolicy);
    } else if (props.awsPolicy !== undefined) {
      throw v.conflict("awsPolicy is given but cloud is 'azure'; give azureRoles only");
    }
    const azureRoles = (props.azureRoles ?? []).map((assignment, i) => {
      const roleDefinitionId = (AZURE_BUILT_IN_ROLES as Record<string, string>)[assignment.role] ?? assignment.role;
      v.check(`azureRoles[${i}].role`, assignment.role, () => (GUID.test(roleDefinitionId) ? undefined : 'is neither a built-in role the kit names nor a role definition id'),
        `a GUID or one of: ${Object.keys(AZURE_BUILT_IN_ROLES).join(', ')}`);
      v.check(`azureRoles[${i}].scope`, assignment.scope, (scopeId) => (AZURE_SCOPE.test(scopeId) ? undefined : 'is not an Azure resource id'),
        "'/subscriptions/<subscription id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>'");
      return { roleDefinitionId: roleDefinitionId.toLowerCase(), scope: assignment.scope };
    });

    this.serviceAccount = ref;
    this.cloud = props.cloud;
    const clientIdValue = identityClientIdValue(ref);
    const azure = props.cloud === 'azure' ? azureWorkloadIdentityValues(ref) : undefined;
    this.podLabels = azure?.podLabels ?? {};
    this.serviceAccountAnnotations = azure?.annotations ?? {};
    if (azure && isObject) ApiObject.of(sa).metadata.addAnnotation(AZURE_CLIENT_ID_ANNOTATION, clusterValue(clientIdValue));
    this.request = {
      path: this.node.path,
      cloud: props.cloud,
      serviceAccount: ref,
      ...(props.createdBy && { createdBy: props.createdBy }),
      ...(awsPolicy !== undefined && { awsPolicy }),
      azureRoles,
      clientIdValue,
    };
  }
}

/** A policy document as JSON text, checked for the shape IAM accepts. */
function policyText(v: PropsValidator, policy: Record<string, unknown> | string): string {
  let document: unknown = policy;
  if (typeof policy === 'string') {
    try {
      document = JSON.parse(policy);
    } catch (error) {
      throw v.error({ field: 'awsPolicy', value: policy.length > 80 ? `${policy.slice(0, 77)}...` : policy, problem: `does not parse as JSON (${(error as Error).message})`, expected: 'an IAM policy document' });
    }
  }
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  if (document === null || typeof document !== 'object' || (document as { Version?: unknown }).Version !== '2012-10-17' || !(Array.isArray(statements) ? statements.length > 0 : statements !== null && typeof statements === 'object' && Object.keys(statements).length > 0)) {
    throw v.error({ field: 'awsPolicy', problem: "is not an IAM policy document with Version '2012-10-17' and at least one Statement" });
  }
  return JSON.stringify(document);
}

/** Namespaces every EKS and AKS cluster has without an object of the App. */
const CLUSTER_NAMESPACES = new Set(['default', 'kube-system']);

/**
 * Problems with the App's workload identities against its rendered objects: a ServiceAccount
 * that is not among them (or whose release is not in the App), a namespace no object creates,
 * and two identities for one ServiceAccount. Each message names the construct path.
 */
export function workloadIdentityProblems(app: App, objects: readonly ManifestObject[]): string[] {
  const problems: string[] = [];
  const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name));
  const accounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`));
  const releases = new Set(app.node.findAll());
  const seen = new Map<string, string>();
  for (const identity of WorkloadIdentity.of(app)) {
    const { path, serviceAccount: { namespace, name }, createdBy } = identity.request;
    const key = `${namespace}/${name}`;
    const other = seen.get(key);
    if (other !== undefined) problems.push(`WorkloadIdentity '${path}': serviceAccount ${key} is already bound by '${other}'; one ServiceAccount has one identity`);
    seen.set(key, path);
    if (!namespaces.has(namespace) && !CLUSTER_NAMESPACES.has(namespace)) {
      const known = [...namespaces].sort();
      problems.push(`WorkloadIdentity '${path}': serviceAccount.namespace ('${namespace}') is not a namespace of the environment; ${known.length > 0 ? `expected one of: ${known.join(', ')}` : 'the environment creates no namespace'}`);
    }
    if (createdBy ? !releases.has(createdBy) : !accounts.has(key)) {
      problems.push(`WorkloadIdentity '${path}': serviceAccount ${key} is not ${createdBy ? 'created by a release of the environment' : 'a ServiceAccount of the environment'}`);
    }
  }
  return problems;
}
