/** Which placement profile a data store's pod spec was built for, read from the spec itself. */

/** A StatefulSet pod spec, as far as the placement profile shows in it. */
interface PlacedPod {
  readonly topologySpreadConstraints: readonly { readonly whenUnsatisfiable: string }[];
  readonly affinity?: { readonly podAntiAffinity?: { readonly requiredDuringSchedulingIgnoredDuringExecution?: unknown } };
}

/** `production` (required host anti-affinity, zone spread that refuses to stack), `development` (a preferred spread only), else `mixed`. */
export function profileOf(pod: PlacedPod): 'production' | 'development' | 'mixed' {
  const spread = pod.topologySpreadConstraints[0]?.whenUnsatisfiable;
  if (spread === 'DoNotSchedule' && pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution) return 'production';
  if (spread === 'ScheduleAnyway' && pod.affinity === undefined) return 'development';
  return 'mixed';
}
