/**
 * Drift between the manifests synth writes and a committed GitOps directory: which files
 * are missing, which differ (and where), and which a previous synth left behind. For a
 * GitOps repository's CI: `npm run synth -- --env <env> --check` fails when the committed
 * directory is out of date.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The files synth owns in an output directory. */
export const MANIFEST_SUFFIX = '.k8s.yaml';

/** One difference between what synth writes and what is committed. */
export type Drift =
  | { readonly file: string; readonly kind: 'missing' }
  | { readonly file: string; readonly kind: 'stale' }
  | { readonly file: string; readonly kind: 'changed'; readonly line: number; readonly expected: string; readonly actual: string };

/** The manifest files below `dir`, as paths relative to it, sorted. */
function manifestsBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith(MANIFEST_SUFFIX)) files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files.sort();
}

/** Compares freshly synthesized manifests (`expected`) with a committed directory (`actual`). */
export function manifestDrift(expected: string, actual: string): Drift[] {
  const want = manifestsBelow(expected);
  const have = new Set(manifestsBelow(actual));
  const drift: Drift[] = [];
  for (const file of want) {
    if (!have.has(file)) {
      drift.push({ file, kind: 'missing' });
      continue;
    }
    have.delete(file);
    const a = readFileSync(join(expected, file), 'utf8');
    const b = readFileSync(join(actual, file), 'utf8');
    if (a === b) continue;
    const left = a.split('\n');
    const right = b.split('\n');
    let i = 0;
    while (i < left.length && i < right.length && left[i] === right[i]) i++;
    drift.push({ file, kind: 'changed', line: i + 1, expected: left[i] ?? '<end of file>', actual: right[i] ?? '<end of file>' });
  }
  for (const file of [...have].sort()) drift.push({ file, kind: 'stale' });
  return drift;
}

/** One line per difference, for people and CI logs. */
export function formatDrift(dir: string, drift: readonly Drift[]): string {
  if (drift.length === 0) return `${dir} is up to date`;
  const lines = drift.map((d) => {
    switch (d.kind) {
      case 'missing':
        return `  missing: ${d.file} (synth writes it; it is not committed)`;
      case 'stale':
        return `  stale:   ${d.file} (synth no longer writes it; delete it)`;
      default:
        return `  changed: ${d.file} line ${d.line}: committed ${JSON.stringify(d.actual)}, synth writes ${JSON.stringify(d.expected)}`;
    }
  });
  return [`${dir} is out of date (${drift.length} file${drift.length === 1 ? '' : 's'}); run \`npm run synth\` and commit the result:`, ...lines].join('\n');
}
