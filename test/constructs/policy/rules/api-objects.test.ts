/**
 * The API server's object validation as policy rules (constructs/policy/rules/api-objects.ts
 * and crd-rules.ts): for each rule a valid object passes, and objects the API server refuses
 * are found at the path with the value and what is expected.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  API_AUTOSCALING, API_CRD_RULES, API_DISRUPTION_BUDGETS, API_ENDPOINT_SLICES, API_LABEL_SELECTORS, API_LIST_KEYS, API_NAMESPACES,
  API_NETWORK_POLICIES, API_POD_SPEC, API_RBAC, API_SERVICES, API_STORAGE, API_WORKLOADS,
} from '../../../../constructs/policy/index.js';
import type { ManifestObject, PolicyRule } from '../../../../constructs/policy/finding.js';
import { asCronJob, asKind, asPod, deployment, mainContainer, pdb, podOf } from './_workload-fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const found = (rule: PolicyRule, object: ManifestObject) => rule.check(object, { objects: [object] }).map((f) => f.message);
const P = 'spec.template.spec';
const C0 = `${P}.containers[0]`;

describe('api-pod-spec', () => {
  it('passes a valid pod template', () => assert.deepEqual(found(API_POD_SPEC, deployment('web', 'shop')), []));

  it('finds env, mounts, volumes, ids, handlers and names the API server refuses', () => {
    const web = deployment('web', 'shop') as any;
    const pod = podOf(web) as any;
    pod.volumes = [{ name: 'Data', emptyDir: {} }, { name: 'cfg', secret: { defaultMode: 1000 } }];
    Object.assign(mainContainer(web), {
      env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }, { name: 'B', valueFrom: {} }, { name: 'C', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }],
      volumeMounts: [{ name: 'missing', mountPath: '/data' }],
      lifecycle: { preStop: { sleep: { seconds: 45 } } },
    });
    pod.securityContext = { ...pod.securityContext, runAsUser: -1 };
    pod.serviceAccountName = 'Web_SA';
    pod.tolerations = [{ effect: 'NoSchedule' }, { key: 'capacity', value: ' spot ', effect: 'NoSchedule' }];
    assert.deepEqual(found(API_POD_SPEC, web), [
      `Deployment/shop/web: ${P}.volumes[0].name ('Data') is not a valid volume name (DNS-1123 label): must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character.`,
      `Deployment/shop/web: ${P}.volumes[1].secret.secretName is required.`,
      `Deployment/shop/web: ${P}.volumes[1].secret.defaultMode is 1000; expected a whole number from 0 to 511.`,
      `Deployment/shop/web: ${C0}.env[2].valueFrom sets no source; expected one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef, fileKeyRef.`,
      `Deployment/shop/web: ${C0}.env[3].valueFrom.fieldRef.fieldPath ('spec.bogus') is not a valid pod field path: expected one of metadata.name, metadata.namespace, metadata.uid, spec.nodeName, spec.serviceAccountName, status.hostIP, status.hostIPs, status.podIP, status.podIPs, metadata.labels['<key>'] or metadata.annotations['<key>'].`,
      `Deployment/shop/web: ${C0}.env[1] has the same name as ${C0}.env[0] (A); each must be unique.`,
      `Deployment/shop/web: ${C0}.volumeMounts[0].name ('missing') is not the name of a volume of the pod.`,
      `Deployment/shop/web: ${C0}.lifecycle.preStop.sleep.seconds is 45; expected at least 0 and less than the pod's terminationGracePeriodSeconds (30).`,
      `Deployment/shop/web: ${P}.securityContext.runAsUser is -1; expected a whole number from 0 to 2147483647.`,
      `Deployment/shop/web: ${P}.serviceAccountName ('Web_SA') is not a valid ServiceAccount name: must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character.`,
      `Deployment/shop/web: ${P}.tolerations[0].operator is 'Equal'; a toleration without a key tolerates every taint and must use operator Exists.`,
      `Deployment/shop/web: ${P}.tolerations[1].value (' spot ') is not a valid taint value: must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character.`,
    ]);
  });

  it('takes a bare Pod that is never restarted, and refuses a Deployment\'s template that would not be', () => {
    const pod = asPod(deployment('once', 'shop')) as any;
    pod.spec.restartPolicy = 'Never';
    assert.deepEqual(found(API_POD_SPEC, pod), []);
    const web = deployment('web', 'shop') as any;
    podOf(web).restartPolicy = 'Never';
    assert.deepEqual(found(API_POD_SPEC, web), [`Deployment/shop/web: ${P}.restartPolicy is 'Never'; expected one of Always.`]);
  });

  it('finds a Job template without a restart policy and a container name used twice', () => {
    const job = asKind(deployment('migrate', 'shop'), 'Job') as any;
    delete podOf(job).restartPolicy;
    podOf(job).initContainers = [{ ...structuredClone(mainContainer(job)) }];
    assert.deepEqual(found(API_POD_SPEC, job), [
      `Job/shop/migrate: ${P}.initContainers[0].name ('app') is the name of ${C0} too; container names are unique within a pod.`,
      `Job/shop/migrate: ${P}.restartPolicy is required for a Job; expected OnFailure or Never.`,
    ]);
  });
});

describe('api-workloads', () => {
  it('passes a valid Deployment, StatefulSet and CronJob', () => {
    const sts = asKind(deployment('db', 'data'), 'StatefulSet') as any;
    sts.spec.serviceName = 'db';
    for (const object of [deployment('web', 'shop'), sts]) assert.deepEqual(found(API_WORKLOADS, object), []);
  });

  it('finds negative replicas, a zero/zero rollout, a template its selector does not match, an over-long CronJob name and an unknown time zone', () => {
    const web = deployment('web', 'shop') as any;
    web.spec.replicas = -1;
    web.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } };
    web.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'other' };
    assert.deepEqual(found(API_WORKLOADS, web), [
      'Deployment/shop/web: spec.replicas is -1; expected a whole number from 0 to 2147483647.',
      "Deployment/shop/web: spec.template.metadata.labels do not match spec.selector.matchLabels (app.kubernetes.io/name); the template's labels must carry the selector's.",
      'Deployment/shop/web: spec.strategy.rollingUpdate.maxUnavailable is 0 while maxSurge is 0 too; a rollout could then never replace a pod.',
    ]);
    const cron = asCronJob(deployment('nightly-report-generator-for-the-finance-department-x', 'shop')) as any;
    cron.spec.timeZone = 'Mars/Olympus';
    cron.spec.startingDeadlineSeconds = -1;
    assert.deepEqual(found(API_WORKLOADS, cron), [
      "CronJob/shop/nightly-report-generator-for-the-finance-department-x: metadata.name is 53 characters; a CronJob's name has at most 52.",
      'CronJob/shop/nightly-report-generator-for-the-finance-department-x: spec.startingDeadlineSeconds is -1; expected a whole number from 0 to 9007199254740991.',
      "CronJob/shop/nightly-report-generator-for-the-finance-department-x: spec.timeZone ('Mars/Olympus') is not a valid time zone: is not a time zone of the IANA database.",
    ]);
  });

  it('finds a pod failure policy the API server refuses: a rule of both kinds, a container that is not there, a condition type that is not a name', () => {
    const job = asKind(deployment('migrate', 'shop'), 'Job') as any;
    podOf(job).restartPolicy = 'Never';
    job.spec.podFailurePolicy = { rules: [
      { action: 'FailJob', onExitCodes: { containerName: 'worker', operator: 'In', values: [0, 3] }, onPodConditions: [{ type: 'DisruptionTarget' }] },
      { action: 'Ignore', onPodConditions: [{ type: 'Bad Type' }] },
    ] };
    assert.deepEqual(found(API_WORKLOADS, job), [
      'Job/shop/migrate: spec.podFailurePolicy.rules[0] must set exactly one of onExitCodes and onPodConditions (non-empty).',
      "Job/shop/migrate: spec.podFailurePolicy.rules[0].onExitCodes.containerName ('worker') is not a container of the pod template.",
      'Job/shop/migrate: spec.podFailurePolicy.rules[0].onExitCodes.values[0] is 0; expected a whole number from 1 to 255.',
      "Job/shop/migrate: spec.podFailurePolicy.rules[1].onPodConditions[0].type ('Bad Type') is not a valid condition type: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character.",
    ]);
  });

  it('finds a StatefulSet retention policy that is not Retain or Delete', () => {
    const sts = asKind(deployment('db', 'data'), 'StatefulSet') as any;
    sts.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain', whenScaled: ' Delete ' };
    assert.deepEqual(found(API_WORKLOADS, sts), ["StatefulSet/data/db: spec.persistentVolumeClaimRetentionPolicy.whenScaled is ' Delete '; expected one of Retain, Delete."]);
  });

  it('finds a StatefulSet claim template without access modes or with no storage', () => {
    const sts = asKind(deployment('db', 'data'), 'StatefulSet') as any;
    sts.spec.volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: [], resources: { requests: { storage: '0' } } } }];
    assert.deepEqual(found(API_WORKLOADS, sts), [
      'StatefulSet/data/db: spec.volumeClaimTemplates[0].spec.accessModes is empty; a claim needs at least one access mode.',
      "StatefulSet/data/db: spec.volumeClaimTemplates[0].spec.resources.requests.storage ('0') is not above zero.",
    ]);
  });
});

describe('api-label-selectors', () => {
  it('passes the fixture\'s selectors and a PodDisruptionBudget', () => {
    assert.deepEqual(found(API_LABEL_SELECTORS, deployment('web', 'shop')), []);
    assert.deepEqual(found(API_LABEL_SELECTORS, pdb()), []);
  });

  it('finds bad label values, keys and operators in selectors anywhere in the spec', () => {
    const budget = pdb('web', { maxUnavailable: 1, selector: { matchLabels: { app: 'not valid!' }, matchExpressions: [{ key: 'tier', operator: 'In' }, { key: 'bad key', operator: 'Has' }] } }) as any;
    assert.deepEqual(found(API_LABEL_SELECTORS, budget), [
      `PodDisruptionBudget/web: spec.selector.matchLabels["app"] ('not valid!') is not a valid label value: must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character.`,
      'PodDisruptionBudget/web: spec.selector.matchExpressions[0].values is empty; operator In needs values.',
      "PodDisruptionBudget/web: spec.selector.matchExpressions[1].key ('bad key') is not a valid label key: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character.",
      "PodDisruptionBudget/web: spec.selector.matchExpressions[1].operator is 'Has'; expected one of In, NotIn, Exists, DoesNotExist.",
    ]);
  });
});

describe('api-rbac', () => {
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'ns' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'ci' }, { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }],
  };
  it('passes a valid Role and ClusterRoleBinding', () => {
    assert.deepEqual(found(API_RBAC, role as ManifestObject), []);
    assert.deepEqual(found(API_RBAC, binding as ManifestObject), []);
  });

  it('finds a rule without verbs or resources, a Role reference from a ClusterRoleBinding and a subject of no kind', () => {
    assert.deepEqual(found(API_RBAC, { ...role, rules: [{ apiGroups: [''], verbs: [] }] } as ManifestObject), [
      'Role/ns/r: rules[0].verbs is empty; a rule needs at least one verb.',
      'Role/ns/r: rules[0].resources is empty; a resource rule names at least one resource.',
    ]);
    assert.deepEqual(found(API_RBAC, { ...binding, roleRef: { ...binding.roleRef, kind: 'Role' }, subjects: [{ kind: 'Robot', name: 'x' }, { kind: 'ServiceAccount', name: 'ci' }] } as ManifestObject), [
      "ClusterRoleBinding/b: roleRef.kind is 'Role'; expected one of ClusterRole.",
      "ClusterRoleBinding/b: subjects[0].kind is 'Robot'; expected one of ServiceAccount, User, Group.",
      'ClusterRoleBinding/b: subjects[1].namespace is required for a ServiceAccount subject of a ClusterRoleBinding.',
    ]);
  });
});

describe('api-autoscaling and api-disruption-budgets', () => {
  const hpa = {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 6, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
  };
  it('passes a valid HPA and budget', () => {
    assert.deepEqual(found(API_AUTOSCALING, hpa as ManifestObject), []);
    assert.deepEqual(found(API_DISRUPTION_BUDGETS, pdb()), []);
  });

  it('finds a zero minimum, a target without its value and a policy of unknown type; a negative or doubled budget', () => {
    const bad = structuredClone(hpa) as any;
    bad.spec.minReplicas = 0;
    delete bad.spec.metrics[0].resource.target.averageUtilization;
    bad.spec.behavior = { scaleDown: { selectPolicy: 'Fastest', policies: [{ type: 'Nodes', value: 1, periodSeconds: 60 }] } };
    assert.deepEqual(found(API_AUTOSCALING, bad), [
      'HorizontalPodAutoscaler/shop/web: spec.minReplicas is 0; expected a whole number from 1 to 2147483647.',
      'HorizontalPodAutoscaler/shop/web: spec.metrics[0].resource.target.averageUtilization is not set; a target of type Utilization needs it.',
      "HorizontalPodAutoscaler/shop/web: spec.behavior.scaleDown.selectPolicy is 'Fastest'; expected one of Max, Min, Disabled.",
      "HorizontalPodAutoscaler/shop/web: spec.behavior.scaleDown.policies[0].type is 'Nodes'; expected one of Pods, Percent.",
    ]);
    assert.deepEqual(found(API_DISRUPTION_BUDGETS, pdb('web', { maxUnavailable: -1, minAvailable: '50' })), [
      "PodDisruptionBudget/web: spec.minAvailable is '50'; expected a whole number >= 0 or a percentage such as '25%'.",
      'PodDisruptionBudget/web: spec.maxUnavailable is -1; expected a whole number from 0 to 2147483647.',
      'PodDisruptionBudget/web: spec sets both minAvailable and maxUnavailable; expected one.',
    ]);
  });
});

describe('api-services, api-namespaces, api-storage, api-endpoint-slices, api-network-policies', () => {
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } };
  it('pass valid objects', () => {
    assert.deepEqual(found(API_SERVICES, service as ManifestObject), []);
    assert.deepEqual(found(API_NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.34' } } }), []);
    assert.deepEqual(found(API_STORAGE, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com' } as ManifestObject), []);
  });

  it('find a Service without ports, a bad port name and external name; a Pod Security level that does not exist; a StorageClass without a provisioner', () => {
    assert.deepEqual(found(API_SERVICES, { ...service, spec: { selector: { app: 'web' } } } as ManifestObject), [
      'Service/shop/web: spec.ports is empty; a Service that is neither headless nor ExternalName needs a port.',
    ]);
    assert.deepEqual(found(API_SERVICES, { ...service, spec: { type: 'ExternalName', externalName: 'Bad_Host!', ports: [{ name: 'HTTP', port: 80 }] } } as ManifestObject), [
      "Service/shop/web: spec.externalName ('Bad_Host!') is not a valid DNS name: must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character.",
      "Service/shop/web: spec.ports[0].name ('HTTP') is not a valid port name (DNS-1123 label): must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character.",
    ]);
    assert.deepEqual(found(API_NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/warn-version': '1.34' } } }), [
      `Namespace/a: metadata.labels["pod-security.kubernetes.io/enforce"] is 'strict'; expected one of privileged, baseline, restricted.`,
      `Namespace/a: metadata.labels["pod-security.kubernetes.io/warn-version"] is '1.34'; expected latest or v1.<minor>.`,
    ]);
    assert.deepEqual(found(API_STORAGE, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: '' } as ManifestObject), [
      'StorageClass/gp3: provisioner is required.',
    ]);
  });

  it('find an endpoint without addresses, a duplicated address, and a network policy peer that selects nothing', () => {
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'db', namespace: 'data' }, addressType: 'IPv4', endpoints: [{ addresses: [] }, { addresses: ['10.0.0.5', '10.0.0.5'] }] };
    assert.deepEqual(found(API_ENDPOINT_SLICES, slice as ManifestObject), [
      'EndpointSlice/data/db: endpoints[0].addresses is empty; an endpoint needs at least one address.',
      'EndpointSlice/data/db: endpoints[1].addresses[1] has the same address as endpoints[1].addresses[0] (10.0.0.5); each must be unique.',
    ]);
    const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'shop' }, spec: { podSelector: {}, ingress: [{ from: [{}], ports: [{ port: 0 }] }] } };
    assert.deepEqual(found(API_NETWORK_POLICIES, policy as ManifestObject), [
      'NetworkPolicy/shop/p: spec.ingress[0].from[0] selects nothing; a peer sets podSelector, namespaceSelector or ipBlock.',
      'NetworkPolicy/shop/p: spec.ingress[0].ports[0].port is 0; expected a whole number from 1 to 65535.',
    ]);
  });
});

describe('api-list-keys and api-crd-rules: custom resources as their pinned CRDs define them', () => {
  const gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'edge' },
    spec: { gatewayClassName: 'kit', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }, { name: 'https', protocol: 'HTTPS', port: 443, hostname: 'shop.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'shop-tls' }] } }] },
  };
  it('pass a valid Gateway', () => {
    assert.deepEqual(found(API_LIST_KEYS, gateway as ManifestObject), []);
    assert.deepEqual(found(API_CRD_RULES, gateway as ManifestObject), []);
  });

  it('find two listeners of one name, and a terminating listener without certificates (a CEL rule of the CRD)', () => {
    const bad = structuredClone(gateway) as any;
    bad.spec.listeners[1].name = 'http';
    assert.deepEqual(found(API_LIST_KEYS, bad), [
      'Gateway/edge/edge: spec.listeners[1] has the same keys (name) as spec.listeners[0] (["http"]); each must be unique.',
    ]);
    const noCerts = structuredClone(gateway) as any;
    noCerts.spec.listeners[1].tls = { mode: 'Terminate' };
    assert.deepEqual(found(API_CRD_RULES, noCerts), [
      'Gateway/edge/edge: spec.listeners[1].tls fails the CRD\'s rule: No such key: options evaluating rule: certificateRefs or options must be specified when mode is Terminate.',
    ]);
  });
});
