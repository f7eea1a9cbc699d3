/**
 * Changes to an object's final JSON.
 *
 * cdk8s-plus-27 serializes its objects through the Kubernetes 1.27 schema classes it
 * imports, after `ApiObject.addJsonPatch` patches have run. That pass drops fields newer
 * than 1.27 (such as the preStop `sleep` action) and any patched value that is not in its
 * typed form (plain quantities, int-or-string ports). Transforms registered here run after
 * that pass, on the JSON that is written out, so the kit can target current Kubernetes.
 *
 * The escape hatch stays whole: once an object has a final transform, the patches a user
 * adds with `ApiObject.addJsonPatch` are held back and applied after the kit's transforms,
 * on the final JSON, so a patch of a field the kit sets (the image pull policy, resources,
 * the pod's securityContext) wins, and a patched field newer than 1.27 is kept. Every
 * reader of `toJson()` (the synth, the validation spine) sees the patched object. With no
 * patch the JSON is exactly the transformed one.
 */
import { JsonPatch, type ApiObject } from 'cdk8s';

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
    const userPatches: JsonPatch[] = [];
    const serialize = apiObject.toJson.bind(apiObject);
    // Patches added from now on wait for the kit's transforms (see the module's doc).
    apiObject.addJsonPatch = (...ops: JsonPatch[]) => {
      userPatches.push(...ops);
    };
    apiObject.toJson = () => {
      const json = transforms.reduce((done, t) => t(done), serialize() as Record<string, unknown>);
      if (userPatches.length === 0) return json;
      try {
        return JsonPatch.apply(json, ...userPatches) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`Failed applying a JSON patch to '${apiObject.node.path}' (kind ${apiObject.kind}): ${String(error)}`);
      }
    };
  }
  list.push(transform);
}
