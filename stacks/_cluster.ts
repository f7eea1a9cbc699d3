/** Helpers both cluster components share. */

/** The node label that names a node's pool, on both clouds (schedulers and the capacity planner use it). */
export const POOL_LABEL = 'k8s-platform-kit.dev/pool';

/** The `index`th subnet of `cidr` with `newBits` more prefix bits: subnetCidr('10.0.0.0/16', 3, 1) is '10.0.32.0/19'. */
export function subnetCidr(cidr: string, newBits: number, index: number): string {
  const [address = '', bits = ''] = cidr.split('/');
  const prefix = Number(bits) + newBits;
  if (prefix > 28 || index >= 2 ** newBits) throw new Error(`subnetCidr: ${cidr} has no subnet ${index} of /${prefix}`);
  const base = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const start = base + index * 2 ** (32 - prefix);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

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
