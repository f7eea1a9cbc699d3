/**
 * What the platform runs more of in a tier. The one place tier decides a size: a size a
 * tier leaves out is the construct's own `@default`.
 */
import type { Tier } from './schema.js';

/** The sizes a tier sets; each left out is the construct's default. */
export interface TierSizing {
  /**
   * Replicas of each platform controller: cert-manager, Envoy Gateway and, on EKS, the AWS
   * Load Balancer Controller (each gets a PodDisruptionBudget above one).
   * @default - each construct's default (1; the AWS Load Balancer Controller's is 2)
   */
  readonly controllerReplicas?: number;
  /**
   * Prometheus replicas (MonitoringStack `prometheusReplicas`).
   * @default - MonitoringStack's default (1)
   */
  readonly prometheusReplicas?: number;
  /**
   * Alertmanager replicas (MonitoringStack `alertmanagerReplicas`).
   * @default - MonitoringStack's default (1)
   */
  readonly alertmanagerReplicas?: number;
}

/**
 * The sizes by tier. Prod: two replicas of each controller, so a drained node or a lost zone
 * leaves one serving (webhooks and the load balancer's reconciler stay up); two Prometheus,
 * each scraping everything, so alerts keep firing while one restarts; three Alertmanagers,
 * a gossip cluster that deduplicates notifications and survives losing one. Dev and staging:
 * one controller of each, cheaper and briefly interrupted by a rollout (set, since the AWS
 * Load Balancer Controller's default is 2), and MonitoringStack's defaults.
 */
export const TIER_SIZING: Readonly<Record<Tier, TierSizing>> = {
  dev: { controllerReplicas: 1 },
  staging: { controllerReplicas: 1 },
  prod: { controllerReplicas: 2, prometheusReplicas: 2, alertmanagerReplicas: 3 },
};
