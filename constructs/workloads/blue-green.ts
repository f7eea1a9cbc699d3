/**
 * Blue/green releases: two complete copies of a workload, one of which serves the traffic.
 * You deploy the new version beside the old one, check it through its preview Service, then
 * move the traffic in one step by changing `active`, and move it back the same way. Both
 * copies run at full size while both are kept, so the cluster needs room for twice the
 * workload (the capacity planner counts both).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { configMapKeyProblem, dns1123LabelProblem } from '../core/names.js';
import { PropsValidator } from '../core/errors.js';
import { HardenedDeployment, type HardenedDeploymentProps } from './hardened-deployment.js';

/** The two copies of a blue/green workload. */
export type Color = 'blue' | 'green';

/** The label that carries a pod's color; the live and preview Services select on it. */
export const COLOR_LABEL = 'k8s-platform-kit.dev/color';
/** The label every pod of one blue/green workload carries, whatever its color. */
export const BLUE_GREEN_LABEL = 'k8s-platform-kit.dev/blue-green';

/** One color's version. */
export interface ColorSpec {
  /** The image, pinned by tag or digest. */
  readonly image: string;
  /**
   * Extra configuration of this color (the hashed ConfigMap), merged over `config`.
   * @default - the shared `config`
   */
  readonly config?: Readonly<Record<string, string>>;
}

/** Properties of {@link BlueGreenDeployment}. */
export interface BlueGreenDeploymentProps extends Omit<HardenedDeploymentProps, 'image' | 'name'> {
  /** The workload's name: the live Service's name; the copies are `<name>-blue` and `<name>-green`. */
  readonly name: string;
  /** The blue copy. */
  readonly blue: ColorSpec;
  /**
   * The green copy. Leave it out to run blue alone (then `active` must be `blue`).
   * @default - no green copy
   */
  readonly green?: ColorSpec;
  /** The color the live Service sends traffic to. */
  readonly active: Color;
  /**
   * Replicas of the idle color, once traffic has moved. Keeping it at full size makes
   * moving back instant; 0 frees the capacity and moving back waits for pods to start.
   * @default - the same replicas or autoscaling as the active color
   */
  readonly idleReplicas?: number;
}

/**
 * A blue/green workload: `<name>-blue` and `<name>-green` HardenedDeployments (each with
 * its own Service, PodDisruptionBudget and NetworkPolicy), a live Service `<name>` that
 * selects the active color and a preview Service `<name>-preview` that selects the other.
 */
export class BlueGreenDeployment extends Construct {
  /** The copies that exist, by color. */
  public readonly copies: Readonly<Partial<Record<Color, HardenedDeployment>>>;
  /** The color that serves the live Service. */
  public readonly active: Color;
  /** The Service clients and routes use: it selects the active color. */
  public readonly liveService: ApiObject;
  /** The Service that reaches the idle color, for checks before the switch (absent with one color). */
  public readonly previewService?: ApiObject;
  /** The live Service's name. */
  public readonly serviceName: string;
  /** The ports of the live and preview Services. */
  public readonly ports: readonly { readonly number: number; readonly name?: string }[];

  constructor(scope: Construct, id: string, props: BlueGreenDeploymentProps) {
    super(scope, id);
    const v = new PropsValidator('BlueGreenDeployment', this);
    v.check('name', props.name, dns1123LabelProblem);
    if (props.name.length > 55) {
      throw v.error({ field: 'name', value: props.name, problem: "is longer than 55 characters: '-preview' would make the preview Service's name too long" });
    }
    if (props.active !== 'blue' && props.active !== 'green') throw v.error({ field: 'active', value: props.active, problem: "must be 'blue' or 'green'" });
    if (props.active === 'green' && !props.green) throw v.error({ field: 'active', value: props.active, problem: 'has no green copy', expected: "green: { image }, or active: 'blue'" });
    if (!props.ports || props.ports.length === 0) throw v.error({ field: 'ports', problem: 'is empty', expected: 'at least one port for the live Service to send traffic to' });
    if (props.idleReplicas !== undefined) v.wholeNumber('idleReplicas', props.idleReplicas, 0);
    if (props.singleton) throw v.error({ field: 'singleton', problem: 'cannot be set on a blue/green deployment: both colors run at once' });
    if (props.idleReplicas !== undefined && !props.green) {
      throw v.error({ field: 'idleReplicas', value: props.idleReplicas, problem: 'has no effect without a green copy: with blue alone no color is idle', expected: 'green: { image }, or no idleReplicas' });
    }
    for (const color of ['blue', 'green'] as const) {
      for (const key of Object.keys(props[color]?.config ?? {})) {
        const problem = configMapKeyProblem(key);
        if (problem) throw v.error({ field: `${color}.config['${key}']`, problem: `has a key that is not a ConfigMap key: it ${problem}` });
      }
    }

    const { blue, green, active, idleReplicas, name, ...shared } = props;
    this.active = active;
    this.serviceName = name;
    this.ports = props.ports.map((p) => ({ number: p.number, ...(p.name !== undefined && { name: p.name }) }));
    const copies: Partial<Record<Color, HardenedDeployment>> = {};
    for (const [color, spec] of [['blue', blue], ['green', green]] as const) {
      if (!spec) continue;
      const idle = color !== active && idleReplicas !== undefined;
      copies[color] = v.forward(() => new HardenedDeployment(this, color === 'blue' ? 'Blue' : 'Green', {
        ...shared,
        ...(idle && { replicas: idleReplicas, autoscaling: undefined }),
        name: `${name}-${color}`,
        image: spec.image,
        ...((shared.config !== undefined || spec.config !== undefined) && { config: { ...shared.config, ...spec.config } }),
        labels: { ...shared.labels, [BLUE_GREEN_LABEL]: name, [COLOR_LABEL]: color },
      }), { image: `${color}.image` });
    }
    this.copies = copies;

    const service = (serviceId: string, serviceName: string, color: Color) => new ApiObject(this, serviceId, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: serviceName,
        ...(props.namespace !== undefined && { namespace: props.namespace }),
        labels: { ...shared.labels, [BLUE_GREEN_LABEL]: name },
        annotations: { [COLOR_LABEL]: color },
      },
      spec: {
        type: 'ClusterIP',
        selector: { [BLUE_GREEN_LABEL]: name, [COLOR_LABEL]: color },
        ports: this.ports.map((p) => ({ port: p.number, targetPort: p.number, ...(p.name !== undefined && { name: p.name }) })),
      },
    });
    this.liveService = service('Live', name, active);
    const idle: Color = active === 'blue' ? 'green' : 'blue';
    if (copies[idle]) this.previewService = service('Preview', `${name}-preview`, idle);
  }
}
