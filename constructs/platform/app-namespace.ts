/**
 * AppNamespace: the namespace an application runs in, with the Pod Security admission
 * labels that make the API server enforce the restricted profile the kit's policy checks.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkLabels, dns1123LabelProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';

/** Properties of {@link AppNamespace}. */
export interface AppNamespaceProps {
  /** The namespace's name (a DNS-1123 label). */
  readonly name: string;
  /**
   * Extra labels; the Pod Security labels cannot be overridden (a `pod-security.kubernetes.io/` key throws).
   * @default - only the restricted Pod Security labels
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The Pod Security Standards version the admission labels pin (the one the kit's rules follow). */
export const POD_SECURITY_VERSION = 'v1.34';

/** The labels that make Pod Security admission enforce, audit and warn on the restricted profile. */
export const RESTRICTED_POD_SECURITY_LABELS: Readonly<Record<string, string>> = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};

/** A Namespace that enforces the restricted Pod Security Standard. */
export class AppNamespace extends Construct {
  /** The Namespace object. */
  public readonly namespace: ApiObject;
  /** The namespace's name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id);
    const v = new PropsValidator('AppNamespace', this);
    v.check('name', props.name, dns1123LabelProblem);
    const clash = Object.keys(props.labels ?? {}).find((key) => key.startsWith('pod-security.kubernetes.io/'));
    if (clash) throw v.error({ field: `labels['${clash}']`, problem: 'would weaken the restricted Pod Security labels', expected: 'a policy exception on the workload instead' });
    checkLabels(v, 'labels', props.labels);
    this.name = props.name;
    this.namespace = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: props.name, labels: { ...props.labels, ...RESTRICTED_POD_SECURITY_LABELS } },
    });
  }
}

/**
 * A Namespace for a node agent that only the privileged Pod Security level admits (hostPath
 * volumes, root): it enforces `privileged`, still audits and warns against `restricted` so
 * the gap stays visible, and carries the reason as the `k8s-platform-kit.dev/pod-security-reason`
 * annotation. The log collector and the NVIDIA device plugin use it.
 */
export function privilegedNamespace(scope: Construct, id: string, name: string, reason: string): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'pod-security.kubernetes.io/enforce': 'privileged',
        'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
      annotations: { [POD_SECURITY_REASON_ANNOTATION]: reason },
    },
  });
}

/** The annotation that says why a namespace enforces less than the restricted profile. */
export const POD_SECURITY_REASON_ANNOTATION = 'k8s-platform-kit.dev/pod-security-reason';
