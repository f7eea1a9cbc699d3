/**
 * Construct warnings: things a construct accepts but wants a person to know (a retired
 * controller, a weak option chosen on purpose). Recorded as node metadata so that whoever
 * synthesizes the App can print them; `npm run synth` and the Pulumi program do.
 */
import type { IConstruct } from 'constructs';

/** The node metadata type under which the kit records construct warnings. */
export const WARNING_METADATA = 'k8s-platform-kit:warning';

/** Records a warning on `scope`. */
export function addConstructWarning(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING_METADATA, message);
}

/** Every construct warning under `root` (an App, a Chart or any construct), in construct order. */
export function constructWarnings(root: IConstruct): string[] {
  return root.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => String(m.data)));
}
