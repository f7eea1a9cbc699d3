/** Helpers both cluster components share. */

/** The node label that names a node's pool, on both clouds (schedulers and the capacity planner use it). */
export { POOL_LABEL } from '../constructs/environment/index.js';

/** A kubeconfig (JSON, which is YAML) for one cluster whose credentials come from an exec plugin. */
export function kubeconfigFor(
  name: string,
  server: string,
  certificateAuthorityData: string,
  exec: { readonly command: string; readonly args: readonly string[] },
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': certificateAuthorityData } }],
    users: [{ name, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: exec.command, args: exec.args, interactiveMode: 'Never' } } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}
