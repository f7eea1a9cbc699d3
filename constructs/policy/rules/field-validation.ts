/**
 * The API server's own field validation (k8s.io/kubernetes pkg/apis/core/validation and its
 * siblings) for fields the OpenAPI schema lets through: an object these rules fail is one
 * `kubectl apply` would be refused, so the kit refuses it first, with the path. Each rule
 * covers one family: probes, ports, ConfigMap keys and size, cron schedules, quantities that
 * must not be negative, endpoint addresses, and CIDRs in network policies.
 */
import { cronScheduleProblem } from '../../core/names.js';
import { ipv4CidrRange, isStrictSubnet } from '../../core/ipv4.js';
import { containersOf, describeObject, podSpecOf } from '../../core/pod.js';
import { compareQuantities, isQuantity } from '../../core/quantity.js';
import { Severity, finding } from '../finding.js';
import type { Finding, ManifestObject, PolicyRule } from '../finding.js';

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Json : undefined);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A finding of `rule` at `path`: `<object>: <path> <problem>.` */
function at(rule: PolicyRule, object: ManifestObject, path: string, problem: string, fix: string): Finding {
  return finding(rule, { path, message: `${describeObject(object)}: ${path} ${problem}.`, fix });
}

// ---------------------------------------------------------------------------------------------
// api-probes

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

function probeProblems(rule: PolicyRule, object: ManifestObject, probe: Json, path: string, kind: 'livenessProbe' | 'readinessProbe' | 'startupProbe'): Finding[] {
  const out: Finding[] = [];
  const fix = 'Use the values the API server takes: initialDelaySeconds >= 0; periodSeconds, timeoutSeconds, successThreshold, failureThreshold >= 1; successThreshold 1 for liveness and startup probes; exactly one handler.';
  for (const [field, min] of [['initialDelaySeconds', 0], ['periodSeconds', 1], ['timeoutSeconds', 1], ['successThreshold', 1], ['failureThreshold', 1], ['terminationGracePeriodSeconds', 1]] as const) {
    const value = probe[field];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < min)) {
      out.push(at(rule, object, `${path}.${field}`, `is ${JSON.stringify(value)}; the API server takes a whole number >= ${min}`, fix));
    }
  }
  if (kind !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    out.push(at(rule, object, `${path}.successThreshold`, `is ${JSON.stringify(probe.successThreshold)}; a ${kind} must have successThreshold 1`, fix));
  }
  if (kind === 'readinessProbe' && probe.terminationGracePeriodSeconds !== undefined) {
    out.push(at(rule, object, `${path}.terminationGracePeriodSeconds`, 'is set on a readinessProbe, which may not have it', fix));
  }
  const handlers = PROBE_HANDLERS.filter((handler) => probe[handler] !== undefined);
  if (handlers.length !== 1) {
    out.push(at(rule, object, path, handlers.length === 0 ? 'has no handler (exec, httpGet, tcpSocket or grpc)' : `has ${handlers.length} handlers (${handlers.join(', ')}); the API server takes exactly one`, fix));
  }
  const exec = asObject(probe.exec);
  if (exec && asArray(exec.command).length === 0) out.push(at(rule, object, `${path}.exec.command`, 'is empty; an exec probe needs a command', fix));
  const http = asObject(probe.httpGet);
  if (http && http.port === undefined) out.push(at(rule, object, `${path}.httpGet.port`, 'is not set', fix));
  return out;
}

/** `api-probes`: probe timings and handlers the API server takes. */
export const API_PROBES: PolicyRule = {
  id: 'api-probes',
  severity: Severity.ERROR,
  description: 'Probe timings and handlers are ones the API server takes.',
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    return containersOf(pod, ['containers', 'initContainers']).flatMap((location) => (['livenessProbe', 'readinessProbe', 'startupProbe'] as const)
      .flatMap((kind) => {
        const probe = asObject((location.container as unknown as Json)[kind]);
        return probe ? probeProblems(API_PROBES, object, probe, `${location.path}.${kind}`, kind) : [];
      }));
  },
};

// ---------------------------------------------------------------------------------------------
// api-ports

/** Why `name` is not an IANA service name (a port name), or undefined. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return `is ${name.length} characters; a port name has at most 15`;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) return 'is not lower-case letters, digits and -, starting and ending with a letter or digit';
  if (name.includes('--')) return "has '--', which a port name may not";
  if (!/[a-z]/.test(name)) return 'has no letter; a port name needs one';
  return undefined;
}

const inPortRange = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;

/** `api-ports`: container and Service ports in range, named as the API server requires, and unique. */
export const API_PORTS: PolicyRule = {
  id: 'api-ports',
  severity: Severity.ERROR,
  description: 'Container and Service ports are in range, named as the API server requires, and unique.',
  check(object) {
    const out: Finding[] = [];
    const fix = 'Give each port a number from 1 to 65535 and a unique name of at most 15 lower-case letters, digits and -; a Service with several ports names each.';
    const pod = podSpecOf(object);
    if (pod) {
      for (const location of containersOf(pod, ['containers', 'initContainers'])) {
        const names = new Set<string>();
        asArray((location.container as unknown as Json).ports).forEach((port, i) => {
          const p = asObject(port) ?? {};
          const path = `${location.path}.ports[${i}]`;
          if (!inPortRange(p.containerPort)) out.push(at(API_PORTS, object, `${path}.containerPort`, `is ${JSON.stringify(p.containerPort)}; expected 1 to 65535`, fix));
          if (p.hostPort !== undefined && p.hostPort !== 0 && !inPortRange(p.hostPort)) out.push(at(API_PORTS, object, `${path}.hostPort`, `is ${JSON.stringify(p.hostPort)}; expected 1 to 65535`, fix));
          if (typeof p.name === 'string' && p.name !== '') {
            const problem = portNameProblem(p.name);
            if (problem) out.push(at(API_PORTS, object, `${path}.name`, `('${p.name}') ${problem}`, fix));
            if (names.has(p.name)) out.push(at(API_PORTS, object, `${path}.name`, `('${p.name}') is the name of another port of the container`, fix));
            names.add(p.name);
          }
        });
      }
    }
    if (object.kind === 'Service' && object.apiVersion === 'v1') {
      const spec = asObject(object.spec) ?? {};
      const ports = asArray(spec.ports).map((port) => asObject(port) ?? {});
      const seen = new Set<string>();
      const names = new Set<string>();
      ports.forEach((p, i) => {
        const path = `spec.ports[${i}]`;
        if (!inPortRange(p.port)) out.push(at(API_PORTS, object, `${path}.port`, `is ${JSON.stringify(p.port)}; expected 1 to 65535`, fix));
        if (p.nodePort !== undefined && !inPortRange(p.nodePort)) out.push(at(API_PORTS, object, `${path}.nodePort`, `is ${JSON.stringify(p.nodePort)}; expected 1 to 65535`, fix));
        if (typeof p.targetPort === 'number' && !inPortRange(p.targetPort)) out.push(at(API_PORTS, object, `${path}.targetPort`, `is ${p.targetPort}; expected 1 to 65535`, fix));
        if (typeof p.targetPort === 'string') {
          const problem = portNameProblem(p.targetPort);
          if (problem) out.push(at(API_PORTS, object, `${path}.targetPort`, `('${p.targetPort}') ${problem}`, fix));
        }
        const key = `${String(p.port)}/${String(p.protocol ?? 'TCP')}`;
        if (seen.has(key)) out.push(at(API_PORTS, object, `${path}.port`, `(${key}) is the port and protocol of another port of the Service`, fix));
        seen.add(key);
        if (ports.length > 1 && (typeof p.name !== 'string' || p.name === '')) out.push(at(API_PORTS, object, `${path}.name`, 'is not set; a Service with several ports names each', fix));
        if (typeof p.name === 'string' && p.name !== '') {
          if (names.has(p.name)) out.push(at(API_PORTS, object, `${path}.name`, `('${p.name}') is the name of another port of the Service`, fix));
          names.add(p.name);
        }
      });
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// api-configmap

/** The most a ConfigMap or Secret may hold: 1 MiB of data. */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** Why `key` is not a ConfigMap or Secret data key, or undefined. */
export function dataKeyProblem(key: string): string | undefined {
  if (key.length > 253) return `is ${key.length} characters; a key has at most 253`;
  if (!DATA_KEY.test(key)) return "may contain only letters, digits, '-', '_' and '.'";
  if (key === '.' || key === '..') return `may not be '${key}'`;
  return undefined;
}

/** `api-configmap`: ConfigMap and Secret keys the API server takes, and at most 1 MiB of data. */
export const API_CONFIG_MAP: PolicyRule = {
  id: 'api-configmap',
  severity: Severity.ERROR,
  description: 'ConfigMap and Secret keys are valid, unique across data and binaryData, and the data is at most 1 MiB.',
  check(object) {
    if ((object.kind !== 'ConfigMap' && object.kind !== 'Secret') || object.apiVersion !== 'v1') return [];
    const out: Finding[] = [];
    const fix = "Name keys with letters, digits, '-', '_' and '.'; keep the data under 1 MiB (mount large files from a volume instead).";
    const fields = object.kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
    const keys = new Set<string>();
    let bytes = 0;
    for (const field of fields) {
      for (const [key, value] of Object.entries(asObject((object as Json)[field]) ?? {})) {
        const problem = dataKeyProblem(key);
        if (problem) out.push(at(API_CONFIG_MAP, object, `${field}[${JSON.stringify(key)}]`, `(key '${key}') ${problem}`, fix));
        if (object.kind === 'ConfigMap' && keys.has(key)) out.push(at(API_CONFIG_MAP, object, `${field}[${JSON.stringify(key)}]`, `(key '${key}') is also a key of data`, fix));
        keys.add(key);
        const text = typeof value === 'string' ? value : '';
        bytes += key.length + (field === 'binaryData' || (object.kind === 'Secret' && field === 'data') ? Math.floor((text.length * 3) / 4) : Buffer.byteLength(text));
      }
    }
    if (bytes > CONFIG_MAP_MAX_BYTES) out.push(at(API_CONFIG_MAP, object, fields[0] as string, `holds ${bytes} bytes; a ${object.kind} holds at most ${CONFIG_MAP_MAX_BYTES} (1 MiB)`, fix));
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// api-cron-schedule

/** `api-cron-schedule`: a CronJob's schedule parses, each field in its range. */
export const API_CRON_SCHEDULE: PolicyRule = {
  id: 'api-cron-schedule',
  severity: Severity.ERROR,
  description: "A CronJob's schedule has five fields in range (or a descriptor), and no time zone in it.",
  check(object) {
    if (object.kind !== 'CronJob') return [];
    const schedule = asObject(object.spec)?.schedule;
    const problem = typeof schedule === 'string' ? cronScheduleProblem(schedule) : 'is not set';
    return problem ? [at(API_CRON_SCHEDULE, object, 'spec.schedule', `(${JSON.stringify(schedule)}) ${problem}`,
      "Write five fields: minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-7 (e.g. '0 3 * * *'); a time zone goes in spec.timeZone.")] : [];
  },
};

// ---------------------------------------------------------------------------------------------
// api-quantities

/** `api-quantities`: ResourceQuota, LimitRange and PVC quantities the API server takes (none negative, storage requests above zero). */
export const API_QUANTITIES: PolicyRule = {
  id: 'api-quantities',
  severity: Severity.ERROR,
  description: 'ResourceQuota and LimitRange quantities are not negative, and a PersistentVolumeClaim requests storage above zero.',
  check(object) {
    const out: Finding[] = [];
    const fix = 'Use a Kubernetes quantity of zero or more (above zero for a storage request), e.g. 10Gi.';
    const check = (map: unknown, path: string, positive = false) => {
      for (const [name, value] of Object.entries(asObject(map) ?? {})) {
        const valuePath = `${path}[${JSON.stringify(name)}]`;
        if (!isQuantity(value)) out.push(at(API_QUANTITIES, object, valuePath, `(${JSON.stringify(value)}) is not a quantity`, fix));
        else if (compareQuantities(value as string, 0) < 0 || (positive && compareQuantities(value as string, 0) <= 0)) {
          out.push(at(API_QUANTITIES, object, valuePath, `(${JSON.stringify(value)}) is ${positive ? 'not above zero' : 'negative'}`, fix));
        }
      }
    };
    const spec = asObject(object.spec) ?? {};
    if (object.kind === 'ResourceQuota') check(spec.hard, 'spec.hard');
    if (object.kind === 'LimitRange') {
      asArray(spec.limits).forEach((limit, i) => {
        for (const field of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) check(asObject(limit)?.[field], `spec.limits[${i}].${field}`);
      });
    }
    if (object.kind === 'PersistentVolumeClaim') check(asObject(asObject(spec.resources)?.requests), 'spec.resources.requests', true);
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// api-endpoint-addresses and api-network-cidrs

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Why `address` may not be an endpoint address, or undefined (the API server's ValidateEndpointIP). */
export function endpointAddressProblem(address: string): string | undefined {
  if (!IPV4.test(address)) return 'is not an IPv4 address';
  const [a, b] = address.split('.').map(Number);
  if (a === 0) return 'is in 0.0.0.0/8 ("this network"), which may not be an endpoint';
  if (a === 127) return 'is a loopback address, which may not be an endpoint';
  if (a === 169 && b === 254) return 'is a link-local address, which may not be an endpoint';
  if (a !== undefined && a >= 224 && a <= 239) return 'is a multicast address, which may not be an endpoint';
  return undefined;
}

/** `api-endpoint-addresses`: EndpointSlice and Endpoints addresses the API server takes. */
export const API_ENDPOINT_ADDRESSES: PolicyRule = {
  id: 'api-endpoint-addresses',
  severity: Severity.ERROR,
  description: 'EndpointSlice and Endpoints addresses are unicast IPv4 addresses, not loopback, link-local or multicast.',
  check(object) {
    const out: Finding[] = [];
    const fix = 'Point the endpoint at the address the service is reached at from the cluster (not 127.0.0.1 or 169.254.x.x); for a DNS name use an ExternalName Service.';
    const check = (address: unknown, path: string) => {
      const problem = typeof address === 'string' ? endpointAddressProblem(address) : 'is not set';
      if (problem) out.push(at(API_ENDPOINT_ADDRESSES, object, path, `(${JSON.stringify(address)}) ${problem}`, fix));
    };
    if (object.kind === 'EndpointSlice' && (object as Json).addressType === 'IPv4') {
      asArray((object as Json).endpoints).forEach((endpoint, i) => asArray(asObject(endpoint)?.addresses).forEach((address, j) => check(address, `endpoints[${i}].addresses[${j}]`)));
    }
    if (object.kind === 'Endpoints') {
      asArray((object as Json).subsets).forEach((subset, i) => asArray(asObject(subset)?.addresses).forEach((address, j) => check(asObject(address)?.ip, `subsets[${i}].addresses[${j}].ip`)));
    }
    return out;
  },
};


/** `api-network-cidrs`: NetworkPolicy ipBlocks the API server takes (valid CIDRs, `except` inside `cidr`). */
export const API_NETWORK_CIDRS: PolicyRule = {
  id: 'api-network-cidrs',
  severity: Severity.ERROR,
  description: 'NetworkPolicy ipBlock CIDRs are valid and each except range is a strict subset of its cidr.',
  check(object) {
    if (object.kind !== 'NetworkPolicy') return [];
    const out: Finding[] = [];
    const fix = "Write an IPv4 CIDR such as '10.0.0.0/16', and keep each except range inside the cidr.";
    const spec = asObject(object.spec) ?? {};
    for (const direction of ['ingress', 'egress'] as const) {
      asArray(spec[direction]).forEach((rule, i) => {
        const peers = asArray(asObject(rule)?.[direction === 'ingress' ? 'from' : 'to']);
        peers.forEach((peer, j) => {
          const block = asObject(asObject(peer)?.ipBlock);
          if (!block) return;
          const path = `spec.${direction}[${i}].${direction === 'ingress' ? 'from' : 'to'}[${j}].ipBlock`;
          const range = typeof block.cidr === 'string' ? ipv4CidrRange(block.cidr) : undefined;
          if (!range) {
            out.push(at(API_NETWORK_CIDRS, object, `${path}.cidr`, `(${JSON.stringify(block.cidr)}) is not an IPv4 CIDR`, fix));
            return;
          }
          asArray(block.except).forEach((except, k) => {
            const inner = typeof except === 'string' ? ipv4CidrRange(except) : undefined;
            if (!inner) out.push(at(API_NETWORK_CIDRS, object, `${path}.except[${k}]`, `(${JSON.stringify(except)}) is not an IPv4 CIDR`, fix));
            else if (!isStrictSubnet(inner, range)) {
              out.push(at(API_NETWORK_CIDRS, object, `${path}.except[${k}]`, `(${JSON.stringify(except)}) is not a strict subset of cidr ${String(block.cidr)}`, fix));
            }
          });
        });
      });
    }
    return out;
  },
};

/** The rules of the API server's field validation, in the order findings are reported. */
export const FIELD_VALIDATION_RULES: readonly PolicyRule[] = [
  API_PROBES, API_PORTS, API_CONFIG_MAP, API_CRON_SCHEDULE, API_QUANTITIES, API_ENDPOINT_ADDRESSES, API_NETWORK_CIDRS,
];
