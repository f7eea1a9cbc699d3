import { createHash } from 'node:crypto';
import { Names } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../core/plus.js';
import { checkLabels, configMapKeyProblem, configMapSizeProblem, dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';

/** Properties of {@link HashedConfigMap}. */
export interface HashedConfigMapProps {
  /** The configuration: key → value. Keys become file names when mounted. */
  readonly data: Readonly<Record<string, string>>;
  /**
   * The name before the content hash.
   * @default - derived from the construct path
   */
  readonly baseName?: string;
  /**
   * Labels of the ConfigMap.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The namespace.
   * @default - none (the namespace the manifests are applied to)
   */
  readonly namespace?: string;
}

/** The first ten hex digits of the SHA-256 of the data, keys sorted: stable across runs and key order. */
export function contentHash(data: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 10);
}

/**
 * An immutable ConfigMap whose name ends in a hash of its content. Any pod template that
 * references it changes when the content changes, so a configuration change rolls the
 * pods, and a rollback returns to the old ConfigMap, which is still there.
 */
export class HashedConfigMap extends Construct {
  /** The ConfigMap (`<baseName>-<hash>`). */
  public readonly configMap: kplus.ConfigMap;
  /** The content hash in the name. */
  public readonly hash: string;
  /** The ConfigMap's full name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: HashedConfigMapProps) {
    super(scope, id);
    const v = new PropsValidator('HashedConfigMap', this);
    for (const key of Object.keys(props.data)) {
      const problem = configMapKeyProblem(key);
      if (problem) throw v.error({ field: `data['${key}']`, problem: `has a key that is not a ConfigMap key: it ${problem}` });
    }
    const sizeProblem = configMapSizeProblem(props.data);
    if (sizeProblem) throw v.error({ field: 'data', problem: sizeProblem, expected: 'fewer or smaller files, or a volume' });
    if (props.namespace !== undefined) v.check('namespace', props.namespace, dns1123LabelProblem);
    checkLabels(v, 'labels', props.labels);
    this.hash = contentHash(props.data);
    const base = props.baseName ?? Names.toDnsLabel(this, { maxLen: 52 });
    this.name = `${base}-${this.hash}`;
    v.check('name', this.name, dns1123SubdomainProblem);
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(props.namespace !== undefined && { namespace: props.namespace }),
        ...(props.labels !== undefined && { labels: { ...props.labels } }),
      },
      data: { ...props.data },
      immutable: true,
    });
  }
}
