/**
 * Access done right for the two roles the seeds hand out too widely: a read-only role for
 * new joiners (not `cluster-admin`, and no Secrets), and a CI deployer that may change
 * workloads in its namespaces and nothing else.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { dns1123LabelProblem, dns1123SubdomainProblem, pathSegmentNameProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';
import { rbacSubject, subjectProblem, type Subject } from './team-namespace.js';

const RBAC = 'rbac.authorization.k8s.io';
const READ = ['get', 'list', 'watch'];

/** What the read-only role may read: everything a newcomer needs to find their way, never Secrets. */
export const READ_ONLY_RULES: readonly { apiGroups: string[]; resources: string[]; verbs: string[] }[] = [
  { apiGroups: [''], resources: ['namespaces', 'nodes', 'pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'persistentvolumeclaims', 'persistentvolumes', 'resourcequotas', 'limitranges', 'serviceaccounts'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways', 'httproutes'], verbs: READ },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
];

/** What a CI deployer may change in its namespaces: the objects the kit's charts write. */
export const DEPLOYER_RULES: readonly { apiGroups: string[]; resources: string[]; verbs: string[] }[] = [
  { apiGroups: [''], resources: ['services', 'configmaps', 'serviceaccounts', 'persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['pods', 'pods/log', 'events'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['apps'], resources: ['replicasets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
];

/** Properties of {@link ReadOnlyAccess}. */
export interface ReadOnlyAccessProps {
  /**
   * The ClusterRole's name.
   * @default 'k8s-platform-kit:read-only'
   */
  readonly name?: string;
  /** Who gets it, cluster-wide. At least one. */
  readonly subjects: readonly Subject[];
}

/** A cluster-wide read-only role (no Secrets, no exec, no port-forward) and its binding: the new joiner's access. */
export class ReadOnlyAccess extends Construct {
  /** The ClusterRole's name. */
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: ReadOnlyAccessProps) {
    super(scope, id);
    const name = props.name ?? 'k8s-platform-kit:read-only';
    const v = new PropsValidator('ReadOnlyAccess', this);
    v.check('name', name, pathSegmentNameProblem);
    if (props.subjects.length === 0) throw v.error({ field: 'subjects', problem: 'is empty', expected: 'at least one user, group or ServiceAccount' });
    props.subjects.forEach((subject, i) => v.check(`subjects[${i}]`, subject, subjectProblem));
    this.roleName = name;
    new ApiObject(this, 'Role', { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name }, rules: READ_ONLY_RULES });
    new ApiObject(this, 'Binding', {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name },
      subjects: props.subjects.map(rbacSubject),
    });
  }
}

/** Properties of {@link CiDeployer}. */
export interface CiDeployerProps {
  /** The ServiceAccount's name. */
  readonly name: string;
  /** Where the ServiceAccount lives (the CI system's namespace). */
  readonly namespace: string;
  /** The namespaces it may deploy to. At least one; never cluster-wide. */
  readonly targetNamespaces: readonly string[];
}

/** A ServiceAccount for CI that may change workloads in its target namespaces only. */
export class CiDeployer extends Construct {
  /** The ServiceAccount's name. */
  public readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: CiDeployerProps) {
    super(scope, id);
    const v = new PropsValidator('CiDeployer', this);
    v.check('name', props.name, dns1123SubdomainProblem);
    v.check('namespace', props.namespace, dns1123LabelProblem);
    props.targetNamespaces.forEach((ns, i) => v.check(`targetNamespaces[${i}]`, ns, dns1123LabelProblem));
    if (props.targetNamespaces.length === 0) throw v.error({ field: 'targetNamespaces', problem: 'is empty', expected: 'the namespaces it deploys to (a CI deployer is never cluster-wide)' });
    const duplicate = props.targetNamespaces.find((ns, i) => props.targetNamespaces.indexOf(ns) !== i);
    if (duplicate) throw v.error({ field: 'targetNamespaces', problem: `lists '${duplicate}' twice` });

    this.serviceAccountName = props.name;
    new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: props.name, namespace: props.namespace },
      automountServiceAccountToken: false,
    });
    for (const target of props.targetNamespaces) {
      const roleName = `${props.name}-deployer`;
      new ApiObject(this, `Role-${target}`, { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: roleName, namespace: target }, rules: DEPLOYER_RULES });
      new ApiObject(this, `Binding-${target}`, {
        apiVersion: `${RBAC}/v1`,
        kind: 'RoleBinding',
        metadata: { name: roleName, namespace: target },
        roleRef: { apiGroup: RBAC, kind: 'Role', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: props.name, namespace: props.namespace }],
      });
    }
  }
}
