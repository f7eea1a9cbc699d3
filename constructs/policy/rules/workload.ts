/**
 * The workload rules: what every production workload needs besides the Pod Security Standard.
 */
import type { PolicyRule } from '../finding.js';
import { KIT_IMAGE_TAG, KIT_PROBES, KIT_PROBES_DIFFER, KIT_RESOURCES } from './workload-containers.js';
import { KIT_HPA_REPLICAS, KIT_PDB } from './workload-availability.js';
import { KIT_QOS_DECLARED } from './workload-qos.js';
import { KIT_NETWORK_POLICY, KIT_SELECTOR_MATCH } from './workload-selection.js';

export { KIT_IMAGE_TAG, KIT_PROBES, KIT_RESOURCES } from './workload-containers.js';
export { KIT_HPA_REPLICAS, KIT_PDB } from './workload-availability.js';
export { KIT_QOS_DECLARED } from './workload-qos.js';
export { KIT_NETWORK_POLICY, KIT_SELECTOR_MATCH } from './workload-selection.js';

/** Every workload rule, in the order findings are reported. */
export const WORKLOAD_RULES: readonly PolicyRule[] = [
  KIT_PROBES,
  KIT_PROBES_DIFFER,
  KIT_RESOURCES,
  KIT_QOS_DECLARED,
  KIT_IMAGE_TAG,
  KIT_PDB,
  KIT_NETWORK_POLICY,
  KIT_HPA_REPLICAS,
  KIT_SELECTOR_MATCH,
];
