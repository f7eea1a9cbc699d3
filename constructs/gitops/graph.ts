/**
 * A picture of an environment, drawn from its manifests as a Mermaid flowchart: which
 * Ingress or HTTPRoute reaches which Service, which workloads a Service selects, which
 * ConfigMaps and Secrets each workload reads, and which Services a ServiceMonitor
 * scrapes. One box per namespace; nothing is drawn that the manifests do not say.
 */
import type { ManifestObject } from '../core/manifest.js';
import { podSpecOf } from '../core/pod.js';
import { matchesSelector } from '../core/selector.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An edge of the picture. */
export interface GraphEdge {
  /** The `Kind/namespace/name` key of the object the edge starts at. */
  readonly from: string;
  /** The `Kind/namespace/name` key of the object the edge points to. */
  readonly to: string;
  /**
   * What the edge means: `reads`, `scrapes http`, a route's host and path (`app.example.com/api`).
   * @default - no label: the edge is drawn bare
   */
  readonly label?: string;
}

/** `Kind/namespace/name` of an object, the graph's node key. */
const keyOf = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;
const ns = (object: ManifestObject) => object.metadata?.namespace ?? 'default';

const ROUTE_KINDS = new Set(['Ingress', 'HTTPRoute']);
const STYLE: Readonly<Record<string, string>> = {
  Ingress: 'route', HTTPRoute: 'route', Service: 'service', ConfigMap: 'config', Secret: 'secret', ServiceMonitor: 'monitor',
};

/** What a pod spec reads: ConfigMaps and Secrets by name, from volumes, env and envFrom. */
function readsOf(spec: Json): { kind: 'ConfigMap' | 'Secret'; name: string }[] {
  const reads: { kind: 'ConfigMap' | 'Secret'; name: string }[] = [];
  const add = (kind: 'ConfigMap' | 'Secret', name: unknown) => {
    if (typeof name === 'string' && !reads.some((r) => r.kind === kind && r.name === name)) reads.push({ kind, name });
  };
  for (const volume of spec.volumes ?? []) {
    add('ConfigMap', volume.configMap?.name);
    add('Secret', volume.secret?.secretName);
    for (const source of volume.projected?.sources ?? []) {
      add('ConfigMap', source.configMap?.name);
      add('Secret', source.secret?.name);
    }
  }
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const env of container.env ?? []) {
      add('ConfigMap', env.valueFrom?.configMapKeyRef?.name);
      add('Secret', env.valueFrom?.secretKeyRef?.name);
    }
    for (const from of container.envFrom ?? []) {
      add('ConfigMap', from.configMapRef?.name);
      add('Secret', from.secretRef?.name);
    }
  }
  return reads;
}

/**
 * The routes' backends: `[service name, namespace, label]` per rule. An Ingress reaches its
 * own namespace only; an HTTPRoute's backendRef may name another (with a ReferenceGrant there).
 */
function backendsOf(route: ManifestObject): [string, string, string][] {
  const spec = (route.spec ?? {}) as Json;
  if (route.kind === 'Ingress') {
    return (spec.rules ?? []).flatMap((rule: Json) => (rule.http?.paths ?? []).map((path: Json) => [
      path.backend?.service?.name, ns(route), `${rule.host ?? '*'}${path.path ?? '/'}`,
    ] as [string, string, string]));
  }
  const hosts = (spec.hostnames ?? ['*']).join(', ');
  return (spec.rules ?? []).flatMap((rule: Json) => {
    const path = rule.matches?.[0]?.path?.value ?? '/';
    return (rule.backendRefs ?? []).filter((ref: Json) => (ref.kind ?? 'Service') === 'Service' && (ref.group ?? '') === '')
      .map((ref: Json) => [ref.name, ref.namespace ?? ns(route), `${hosts}${path}`] as [string, string, string]);
  });
}

/** The edges the manifests imply. */
export function environmentEdges(objects: readonly ManifestObject[]): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const services = objects.filter((o) => o.kind === 'Service');
  const workloads = objects.map((o) => ({ object: o, pod: podSpecOf(o) })).filter((w) => w.pod !== undefined);
  for (const route of objects.filter((o) => ROUTE_KINDS.has(o.kind))) {
    for (const [service, namespace, label] of backendsOf(route)) {
      if (service) edges.push({ from: keyOf(route.kind, ns(route), route.metadata?.name ?? ''), to: keyOf('Service', namespace, service), label });
    }
  }
  for (const service of services) {
    const selector = ((service.spec ?? {}) as Json).selector as Record<string, string> | undefined;
    if (!selector || Object.keys(selector).length === 0) continue;
    for (const { object, pod } of workloads) {
      if (ns(object) === ns(service) && matchesSelector(selector, pod!.templateMetadata.labels)) {
        edges.push({ from: keyOf('Service', ns(service), service.metadata?.name ?? ''), to: keyOf(object.kind, ns(object), object.metadata?.name ?? '') });
      }
    }
  }
  for (const { object, pod } of workloads) {
    for (const read of readsOf(pod!.spec as Json)) {
      edges.push({ from: keyOf(object.kind, ns(object), object.metadata?.name ?? ''), to: keyOf(read.kind, ns(object), read.name), label: 'reads' });
    }
  }
  for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor')) {
    const spec = (monitor.spec ?? {}) as Json;
    const anyNamespace = spec.namespaceSelector?.any === true;
    const namespaces: string[] = spec.namespaceSelector?.matchNames ?? [ns(monitor)];
    for (const service of services) {
      if (!anyNamespace && !namespaces.includes(ns(service))) continue;
      if (matchesSelector(spec.selector, service.metadata?.labels)) {
        const ports = (spec.endpoints ?? []).map((e: Json) => e.port).filter(Boolean).join(', ');
        edges.push({ from: keyOf('ServiceMonitor', ns(monitor), monitor.metadata?.name ?? ''), to: keyOf('Service', ns(service), service.metadata?.name ?? ''), label: ports ? `scrapes ${ports}` : 'scrapes' });
      }
    }
  }
  return edges;
}

const nodeId = (key: string) => `n_${key.replace(/[^A-Za-z0-9]/g, '_')}`;
const quoted = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;

/** The environment as a Mermaid flowchart (left to right, one subgraph per namespace). */
export function environmentGraph(objects: readonly ManifestObject[], title?: string): string {
  const edges = environmentEdges(objects);
  const keys = new Set(edges.flatMap((e) => [e.from, e.to]));
  const byNamespace = new Map<string, string[]>();
  for (const key of [...keys].sort()) {
    const [, namespace = ''] = key.split('/');
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), key]);
  }
  const lines: string[] = [];
  if (title) lines.push('---', `title: ${JSON.stringify(title)}`, '---');
  lines.push('flowchart LR');
  for (const [namespace, members] of byNamespace) {
    lines.push(`  subgraph ${nodeId(`ns/${namespace}`)}[${quoted(`namespace ${namespace}`)}]`);
    for (const key of members) {
      const [kind = '', , name = ''] = key.split('/');
      lines.push(`    ${nodeId(key)}[${quoted(`${kind}<br/>${name}`)}]${STYLE[kind] ? `:::${STYLE[kind]}` : ''}`);
    }
    lines.push('  end');
  }
  for (const edge of edges) lines.push(`  ${nodeId(edge.from)} -->${edge.label ? `|${quoted(edge.label)}|` : ''} ${nodeId(edge.to)}`);
  lines.push(
    '  classDef route fill:#dbeafe,stroke:#1d4ed8',
    '  classDef service fill:#dcfce7,stroke:#15803d',
    '  classDef config fill:#fef9c3,stroke:#a16207',
    '  classDef secret fill:#fee2e2,stroke:#b91c1c',
    '  classDef monitor fill:#f3e8ff,stroke:#7e22ce',
  );
  return `${lines.join('\n')}\n`;
}
