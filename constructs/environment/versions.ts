/**
 * Kubernetes versions as clusters are configured with them ("1.34", or "1.34.2" where the
 * cloud takes a patch), and the version skew policy between a control plane and its nodes.
 */

/** A parsed Kubernetes version. `patch` is undefined when only the minor was given. */
export interface KubernetesVersion {
  /** The major version: `1`. */
  readonly major: number;
  /** The minor version: `34`. */
  readonly minor: number;
  /**
   * The patch version: `2` in `1.34.2`.
   * @default - none: only the minor was given
   */
  readonly patch?: number;
}

const VERSION = /^(\d+)\.(\d+)(?:\.(\d+))?$/;

/** Parses "1.34" or "1.34.2"; returns undefined for anything else. */
export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const match = VERSION.exec(text);
  if (!match) return undefined;
  const [, major, minor, patch] = match;
  return { major: Number(major), minor: Number(minor), ...(patch === undefined ? {} : { patch: Number(patch) }) };
}

/**
 * How many minor versions a kubelet may lag behind the API server: three from Kubernetes
 * 1.28 on, two before (https://kubernetes.io/releases/version-skew-policy/#kubelet).
 */
export function maxKubeletSkew(controlPlane: KubernetesVersion): number {
  return controlPlane.major === 1 && controlPlane.minor >= 28 ? 3 : 2;
}

/**
 * Returns why nodes at `node` may not run against a control plane at `controlPlane`, or
 * undefined if the skew is allowed. A node may not be newer than the control plane (patch
 * included where both name one), nor more than `maxKubeletSkew` minors older.
 */
export function versionSkewProblem(controlPlane: string, node: string): string | undefined {
  const cp = parseKubernetesVersion(controlPlane);
  const kubelet = parseKubernetesVersion(node);
  if (!cp || !kubelet) return undefined;
  if (kubelet.major !== cp.major) return `is a different major version from the control plane (${controlPlane})`;
  const newer =
    kubelet.minor > cp.minor ||
    (kubelet.minor === cp.minor && kubelet.patch !== undefined && cp.patch !== undefined && kubelet.patch > cp.patch);
  if (newer) return `is newer than the control plane (${controlPlane}); upgrade the control plane first`;
  const skew = maxKubeletSkew(cp);
  if (cp.minor - kubelet.minor > skew) {
    return `is ${cp.minor - kubelet.minor} minor versions behind the control plane (${controlPlane}); nodes may be at most ${skew} behind`;
  }
  return undefined;
}
