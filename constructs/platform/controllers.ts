/**
 * The cluster controllers the platform's other pieces need, each a pinned upstream chart
 * in a namespace of its own: cert-manager (certificates for the edge and for
 * Elasticsearch), Envoy Gateway (the Gateway API implementation behind IngressWithAuth)
 * and, for clusters that still run it, the retired ingress-nginx.
 *
 * Each installs CRDs through its HelmRelease, so objects of those kinds (Certificates,
 * Issuers, GatewayClasses, Gateways, HTTPRoutes) belong in a chart that Flux applies after
 * the release is ready: Flux cannot apply a custom resource in the same Kustomization as
 * the release that installs its definition. {@link EnvoyGatewayClass} is that second half
 * for Envoy Gateway.
 *
 * Each release declares the pods its chart runs (HelmChartRelease `workloads`), so the
 * capacity planner counts them; install hooks (cert-manager's startupapicheck, Envoy
 * Gateway's certgen, ingress-nginx's admission Jobs) run and finish, and are not counted.
 */
import { Construct } from 'constructs';
import { GatewayClass } from '../imports/gateway-api.js';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names.js';
import { addConstructWarning } from '../core/warnings.js';
import { PropsValidator } from '../core/errors.js';
import { AppNamespace } from './app-namespace.js';
import { INGRESS_CONTROLLER_DEFAULTS, IngressController } from './_ingress-options.js';
import { HelmChart, HelmChartRelease, type HelmValues } from './helm-release.js';

/** A PodDisruptionBudget only when a drain can still evict one replica. */
/** The checks every controller's props share: its namespace's name and its replica count. */
function checkController(v: PropsValidator, namespace: string, replicas: number): void {
  v.check('namespace', namespace, dns1123LabelProblem);
  v.wholeNumber('replicas', replicas, 1);
}

const budget = (replicas: number) => (replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false });

/**
 * What each controller's pod requests, for the capacity planner (HelmChartRelease
 * `workloads`). The kit sets no resources on these charts, so these are the charts' defaults.
 */
export const CONTROLLER_REQUESTS = {
  /**
   * cert-manager's controller, webhook and CA injector: the chart's default is
   * `resources: {}` for each (its values.yaml is not pinned; the chart documentation at
   * v1.21.1), so their pods request nothing: each takes a pod slot and no CPU or memory.
   */
  certManager: { cpu: '0', memory: '0' },
  /** gateway-helm v1.9.0 values.yaml (pinned): `deployment.envoyGateway.resources.requests`. */
  envoyGateway: { cpu: '100m', memory: '256Mi' },
  /** ingress-nginx 4.15.1 values.yaml (pinned): `controller.resources.requests`. */
  ingressNginx: { cpu: '100m', memory: '90Mi' },
} as const;

/** Properties of {@link CertManager}. */
export interface CertManagerProps {
  /**
   * The namespace cert-manager is installed in (the construct creates it).
   * @default 'cert-manager'
   */
  readonly namespace?: string;
  /**
   * Replicas of the controller, the webhook and the CA injector.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * cert-manager (pinned chart, CRDs included), with Gateway API support on so HTTP-01
 * challenges can be answered through a Gateway.
 */
export class CertManager extends Construct {
  /** The namespace cert-manager runs in. */
  public readonly namespace: string;
  /** The cert-manager Helm release. */
  public readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: CertManagerProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'cert-manager';
    const replicas = props.replicas ?? 1;
    checkController(new PropsValidator('CertManager', this), this.namespace, replicas);
    new AppNamespace(this, 'Namespace', { name: this.namespace });
    this.release = new HelmChartRelease(this, 'Release', {
      chart: HelmChart.CERT_MANAGER,
      namespace: this.namespace,
      provides: ['cert-manager'],
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: replicas,
        podDisruptionBudget: budget(replicas),
        webhook: { replicaCount: replicas },
        cainjector: { replicaCount: replicas },
        config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', enableGatewayAPI: true },
      },
      workloads: ['cert-manager', 'cert-manager-webhook', 'cert-manager-cainjector'].map((name) => ({
        name, kind: 'Deployment' as const, replicas, requests: CONTROLLER_REQUESTS.certManager,
      })),
    });
  }
}

/** Properties of {@link EnvoyGateway}. */
export interface EnvoyGatewayProps {
  /**
   * The namespace Envoy Gateway is installed in (the construct creates it).
   * @default 'envoy-gateway-system'
   */
  readonly namespace?: string;
  /**
   * Replicas of the controller (the proxies are sized per Gateway).
   * @default 1
   */
  readonly replicas?: number;
}

/** Envoy Gateway (pinned chart, Gateway API and Envoy Gateway CRDs included). */
export class EnvoyGateway extends Construct {
  /** The namespace Envoy Gateway runs in. */
  public readonly namespace: string;
  /**
   * The namespace the Envoy proxies of every Gateway run in: the controller's own, in Envoy
   * Gateway's default deploy mode. The only pods that call the routed services from outside.
   */
  public readonly proxyNamespace: string;
  /** The Envoy Gateway Helm release. */
  public readonly release: HelmChartRelease;
  /** The controller name a GatewayClass must name for Envoy Gateway to serve it. */
  public static readonly CONTROLLER_NAME = 'gateway.envoyproxy.io/gatewayclass-controller';

  constructor(scope: Construct, id: string, props: EnvoyGatewayProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? INGRESS_CONTROLLER_DEFAULTS.envoyGatewayNamespace;
    this.proxyNamespace = this.namespace;
    const replicas = props.replicas ?? 1;
    checkController(new PropsValidator('EnvoyGateway', this), this.namespace, replicas);
    new AppNamespace(this, 'Namespace', { name: this.namespace });
    const values: HelmValues = { deployment: { replicas }, ...(replicas > 1 && { podDisruptionBudget: { minAvailable: 1 } }) };
    // The controller only: the Envoy proxy Deployment of each Gateway is created by the
    // controller, not the chart, and is not counted (the planner lists Gateways as not counted).
    this.release = new HelmChartRelease(this, 'Release', {
      chart: HelmChart.ENVOY_GATEWAY,
      namespace: this.namespace,
      provides: ['gateway-api', 'envoy-gateway'],
      values,
      workloads: [{ name: 'envoy-gateway', kind: 'Deployment', replicas, requests: CONTROLLER_REQUESTS.envoyGateway }],
    });
  }

  /**
   * The controller for IngressWithAuth and for the workloads the edge calls: Gateways of
   * `gatewayClass` (the default GatewayClass name when omitted), proxies in {@link proxyNamespace}.
   */
  ingressController(gatewayClass?: EnvoyGatewayClass): IngressController {
    return IngressController.envoyGateway({ proxyNamespace: this.proxyNamespace, ...(gatewayClass && { gatewayClassName: gatewayClass.name }) });
  }
}

/** Properties of {@link EnvoyGatewayClass}. */
export interface EnvoyGatewayClassProps {
  /**
   * The GatewayClass's name (a DNS-1123 subdomain).
   * @default 'envoy-gateway' (the name IngressWithAuth uses by default)
   */
  readonly name?: string;
}

/** The GatewayClass that Envoy Gateway serves; Gateways name it in `gatewayClassName`. */
export class EnvoyGatewayClass extends Construct {
  /** The GatewayClass's name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: EnvoyGatewayClassProps = {}) {
    super(scope, id);
    this.name = props.name ?? INGRESS_CONTROLLER_DEFAULTS.gatewayClassName;
    new PropsValidator('EnvoyGatewayClass', this).check('name', this.name, dns1123SubdomainProblem);
    new GatewayClass(this, 'Resource', { metadata: { name: this.name }, spec: { controllerName: EnvoyGateway.CONTROLLER_NAME } });
  }
}

/** Properties of {@link IngressNginx}. */
export interface IngressNginxProps {
  /**
   * The namespace ingress-nginx is installed in (the construct creates it).
   * @default 'ingress-nginx'
   */
  readonly namespace?: string;
  /**
   * Replicas of the controller.
   * @default 2
   */
  readonly replicas?: number;
}

/**
 * The ingress-nginx controller (pinned chart 4.15.1, the last release). Retired upstream
 * in March 2026: no releases or security fixes since. For clusters that still run it;
 * new ingress should use {@link EnvoyGateway}. The construct records a warning.
 */
export class IngressNginx extends Construct {
  /** The namespace ingress-nginx runs in. */
  public readonly namespace: string;
  /** The ingress-nginx Helm release. */
  public readonly release: HelmChartRelease;
  /** The controller for IngressWithAuth and for the workloads the edge calls: the chart's IngressClass, proxies in {@link namespace}. */
  public readonly ingressController: IngressController;
  /** The warning the construct records: ingress-nginx is retired upstream. */
  public readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: IngressNginxProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? INGRESS_CONTROLLER_DEFAULTS.ingressNginxNamespace;
    this.ingressController = IngressController.ingressNginx({ controllerNamespace: this.namespace });
    const replicas = props.replicas ?? 2;
    checkController(new PropsValidator('IngressNginx', this), this.namespace, replicas);
    new AppNamespace(this, 'Namespace', { name: this.namespace });
    this.release = new HelmChartRelease(this, 'Release', {
      chart: HelmChart.INGRESS_NGINX,
      namespace: this.namespace,
      provides: ['ingress-nginx'],
      values: { controller: { replicaCount: replicas, minAvailable: replicas > 1 ? 1 : 0, allowSnippetAnnotations: false } },
      workloads: [{ name: 'ingress-nginx-controller', kind: 'Deployment', replicas, requests: CONTROLLER_REQUESTS.ingressNginx }],
    });
    const warning = `IngressNginx '${this.node.path}': ingress-nginx was retired upstream in March 2026 and gets no releases or security fixes; move to Envoy Gateway (the Gateway API)`;
    addConstructWarning(this, warning);
    this.warnings = [warning];
  }
}
