/**
 * Where the members of a replicated data store run: in production never two on one node
 * (required anti-affinity by host) and spread evenly over zones, refusing to schedule
 * rather than stacking a zone; in development the spread is only preferred.
 */
export function memberPlacement(memberLabels: Readonly<Record<string, string>>, production: boolean): Record<string, unknown> {
  return {
    ...(production && {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...memberLabels } } }] } },
    }),
    topologySpreadConstraints: [{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: production ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...memberLabels } },
    }],
  };
}

/** The fewest members a replicated data store runs in the production profile. */
export const PRODUCTION_MIN_MEMBERS = 3;

/** A data store's profile when none is given: production from {@link PRODUCTION_MIN_MEMBERS} members, else development. */
export function defaultProfile(members: number): 'production' | 'development' {
  return members >= PRODUCTION_MIN_MEMBERS ? 'production' : 'development';
}
