/**
 * Changes to an object's final JSON.
 *
 * cdk8s-plus-27 serializes its objects through the Kubernetes 1.27 schema classes it
 * imports, after `ApiObject.addJsonPatch` patches have run. That pass drops fields newer
 * than 1.27 (such as the preStop `sleep` action) and any patched value that is not in its
 * typed form (plain quantities, int-or-string ports). Transforms registered here run after
 * that pass, on the JSON that is written out, so the kit can target current Kubernetes.
 */
import type { ApiObject } from 'cdk8s';

/** A change to an object's final JSON. */
export type FinalTransform = (json: Record<string, unknown>) => Record<string, unknown>;

const pending = new WeakMap<ApiObject, FinalTransform[]>();

/** Adds a transform of the final JSON of `apiObject` (after any cdk8s-plus serialization). */
export function addFinalTransform(apiObject: ApiObject, transform: FinalTransform): void {
  let list = pending.get(apiObject);
  if (!list) {
    list = [];
    pending.set(apiObject, list);
    const transforms = list;
    const serialize = apiObject.toJson.bind(apiObject);
    apiObject.toJson = () => transforms.reduce((json, t) => t(json), serialize() as Record<string, unknown>);
  }
  list.push(transform);
}
