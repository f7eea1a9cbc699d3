import type { ManifestObject } from '../../../constructs/index.js';

/** A ConfigMap: no policy rule applies to it, so only schema and exception findings appear. */
export function configMap(overrides: Partial<ManifestObject> = {}): ManifestObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: 'b' }, ...overrides };
}
