/**
 * Workload rules about each container: health probes, resource requests and limits, and
 * pinned images.
 */
import { imagePinProblem, parseImageReference } from '../../core/image.js';
import type { IContainer } from 'kubernetes-models/v1';
import { Severity, finding } from '../finding.js';
import type { Finding, ManifestObject, PolicyRule } from '../finding.js';
import { LONG_RUNNING_KINDS, containersOf, describeObject, podSpecOf } from '../../core/pod.js';
import type { ContainerLocation } from '../../core/pod.js';
import { compareQuantities, isQuantity } from '../../core/quantity.js';

/** The name of a container for messages; its position (`containers[0]`) when it has none. */
function containerName(location: ContainerLocation): string {
  return location.container.name || location.path.slice(location.path.lastIndexOf('.') + 1);
}

const LIST_NOUNS: Readonly<Record<ContainerLocation['list'], string>> = {
  containers: 'container',
  initContainers: 'init container',
  ephemeralContainers: 'ephemeral container',
};

/** `Deployment/shop/web: container 'app'` — how every container finding starts. */
function subject(object: ManifestObject, location: ContainerLocation): string {
  return `${describeObject(object)}: ${LIST_NOUNS[location.list]} '${containerName(location)}'`;
}

/** Appends a map key to a dotted path: `.cpu`, or `["nvidia.com/gpu"]` when the key is not a plain word. */
export function keyPath(base: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

// ---------------------------------------------------------------------------------------------
// kit-probes

/** The two probes every long-running container needs, and what goes wrong without each. */
const REQUIRED_PROBES = [
  {
    field: 'livenessProbe',
    consequence: 'a hung process is never restarted',
    example: 'httpGet on a /healthz endpoint, or tcpSocket on its port',
  },
  {
    field: 'readinessProbe',
    consequence: 'it receives traffic before it can serve it and during shutdown',
    example: 'httpGet on a /ready endpoint that fails while it cannot serve',
  },
] as const;

/**
 * `kit-probes`: every container of a long-running workload has a liveness and a readiness probe.
 */
export const KIT_PROBES: PolicyRule = {
  id: 'kit-probes',
  severity: Severity.ERROR,
  description: 'Every container of a long-running workload has a liveness and a readiness probe.',
  check: checkProbes,
};

function checkProbes(object: ManifestObject): Finding[] {
  const pod = podSpecOf(object);
  if (!pod || !LONG_RUNNING_KINDS.has(object.kind)) return [];
  return containersOf(pod, ['containers']).flatMap((location) => REQUIRED_PROBES
    .filter((probe) => (location.container as IContainer)[probe.field] === undefined)
    .map((probe) => finding(KIT_PROBES, {
      path: `${location.path}.${probe.field}`,
      message: `${subject(object, location)} has no ${probe.field} (found: not set), so ${probe.consequence}.`,
      fix: `Add a ${probe.field} to container '${containerName(location)}', e.g. ${probe.example}.`,
    })));
}

// ---------------------------------------------------------------------------------------------
// kit-probes-differ

/**
 * `kit-probes-differ` (warning): a container's liveness and readiness probes are not the same
 * check with the same timing. Then the first slow moment fails both at once, and the
 * container is restarted at the moment it should only have been taken out of the Service.
 */
export const KIT_PROBES_DIFFER: PolicyRule = {
  id: 'kit-probes-differ',
  severity: Severity.WARNING,
  description: 'A container\'s liveness and readiness probes differ: a liveness probe tolerates more failures, or checks something else.',
  check(object) {
    const pod = podSpecOf(object);
    if (!pod || !LONG_RUNNING_KINDS.has(object.kind)) return [];
    return containersOf(pod, ['containers']).flatMap((location) => {
      const { livenessProbe, readinessProbe } = location.container as IContainer;
      if (!livenessProbe || !readinessProbe || JSON.stringify(livenessProbe) !== JSON.stringify(readinessProbe)) return [];
      return [finding(KIT_PROBES_DIFFER, {
        path: `${location.path}.livenessProbe`,
        message: `${subject(object, location)} has the same liveness and readiness probe (${JSON.stringify(livenessProbe)}), so a slow moment restarts it instead of only taking it out of the Service.`,
        fix: 'Give the liveness probe a higher failureThreshold or periodSeconds than the readiness probe (the kit\'s constructs double failureThreshold), or make it check only that the process is alive.',
      })];
    });
  },
};

// ---------------------------------------------------------------------------------------------
// kit-resources

/** The resource fields every container must set, and why. */
const REQUIRED_RESOURCES = [
  { list: 'requests', resource: 'cpu', example: '100m', consequence: 'the scheduler places it as if it used no CPU' },
  { list: 'requests', resource: 'memory', example: '128Mi', consequence: 'the scheduler places it as if it used no memory' },
  { list: 'limits', resource: 'memory', example: 'equal to its memory request', consequence: 'it can use all of the node\'s memory and get other pods OOM-killed' },
] as const;

/**
 * `kit-resources`: every container and init container requests cpu and memory and limits memory,
 * with valid quantities and no limit below its request.
 */
export const KIT_RESOURCES: PolicyRule = {
  id: 'kit-resources',
  severity: Severity.ERROR,
  description: 'Every container and init container requests cpu and memory (a limit alone defaults the request) and limits memory, with valid quantities and no limit below its request.',
  check: checkResources,
};

function checkResources(object: ManifestObject): Finding[] {
  const pod = podSpecOf(object);
  if (!pod) return [];
  return containersOf(pod, ['containers', 'initContainers']).flatMap((location) => resourceFindings(object, location));
}

function resourceFindings(object: ManifestObject, location: ContainerLocation): Finding[] {
  const resources = (location.container as IContainer).resources ?? {};
  const lists = { requests: resources.requests ?? {}, limits: resources.limits ?? {} };
  const base = `${location.path}.resources`;
  const name = containerName(location);
  const out: Finding[] = [];

  for (const required of REQUIRED_RESOURCES) {
    if (lists[required.list][required.resource] !== undefined) continue;
    // The API server defaults a missing request to the limit, so a limit alone sets both.
    if (required.list === 'requests' && lists.limits[required.resource] !== undefined) continue;
    const field = `resources.${required.list}.${required.resource}`;
    out.push(finding(KIT_RESOURCES, {
      path: `${base}.${required.list}.${required.resource}`,
      message: `${subject(object, location)} has no ${field} (found: not set), so ${required.consequence}.`,
      fix: `Set ${field} on container '${name}', e.g. ${required.example}.`,
    }));
  }

  for (const list of ['requests', 'limits'] as const) {
    for (const [resource, value] of Object.entries(lists[list])) {
      if (isQuantity(value)) continue;
      out.push(finding(KIT_RESOURCES, {
        path: keyPath(`${base}.${list}`, resource),
        message: `${subject(object, location)} has resources.${list}.${resource} '${String(value)}', which is not a Kubernetes quantity.`,
        fix: `Write resources.${list}.${resource} of container '${name}' as a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E), e.g. 256Mi, 0.5 or 500m.`,
      }));
    }
  }

  for (const [resource, limit] of Object.entries(lists.limits)) {
    const request = lists.requests[resource];
    if (request === undefined || !isQuantity(limit) || !isQuantity(request)) continue;
    if (compareQuantities(limit, request) >= 0) continue;
    out.push(finding(KIT_RESOURCES, {
      path: keyPath(`${base}.limits`, resource),
      message: `${subject(object, location)} has resources.limits.${resource} ${String(limit)} below resources.requests.${resource} ${String(request)}; the API server rejects a limit below its request.`,
      fix: `Raise resources.limits.${resource} of container '${name}' to at least ${String(request)}, or lower its request.`,
    }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// kit-image-tag

/**
 * `kit-image-tag`: every container image is pinned to a tag other than `latest`, or to a digest.
 */
export const KIT_IMAGE_TAG: PolicyRule = {
  id: 'kit-image-tag',
  severity: Severity.ERROR,
  description: 'Every container image is pinned to a tag other than latest, or to a digest.',
  check: checkImageTags,
};

function checkImageTags(object: ManifestObject): Finding[] {
  const pod = podSpecOf(object);
  if (!pod) return [];
  return containersOf(pod).flatMap((location): Finding[] => {
    const image = location.container.image;
    const name = containerName(location);
    const reason = image ? imagePinProblem(image) : undefined;
    if (image && reason === undefined) return [];
    const repository = image ? parseImageReference(image).repository : 'registry.example.com/app';
    return [finding(KIT_IMAGE_TAG, {
      path: `${location.path}.image`,
      message: image
        ? `${subject(object, location)} image '${image}' ${reason}; what runs can change without the manifest changing.`
        : `${subject(object, location)} has no image (found: not set).`,
      fix: `Pin the image of container '${name}' to a version tag or a digest, e.g. '${repository}:1.2.3' or '${repository}@sha256:<digest>'.`,
    })];
  });
}
