/** The Flux conventions the GitSync construct and the GitOps layout share. */

/** Defaults of {@link FluxGitSyncProps}. */
export const FLUX_GIT_SYNC_DEFAULTS = {
  branch: 'main',
  interval: '5m',
  name: 'platform',
  namespace: 'flux-system',
  prune: true,
  timeout: '10m',
} as const;
