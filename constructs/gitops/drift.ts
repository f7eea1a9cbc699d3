/**
 * Drift between the files synth writes and a committed GitOps directory: which files are
 * missing, which differ (and where), and which a previous synth wrote but this one does
 * not. For a GitOps repository's CI: `npm run synth -- --env <env> --check` fails when the
 * committed directory is out of date. Files synth never wrote are not its business.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The files of the earlier, flat layout (one `<chart>.k8s.yaml` per chart); synth still owns them, to remove them. */
export const MANIFEST_SUFFIX = '.k8s.yaml';

/**
 * The list of the files synth wrote into an output directory, kept in that directory. The
 * next synth deletes the listed files it no longer writes, and nothing else.
 */
export const SYNTH_FILES_MARKER = '.k8s-platform-kit-files';

/** One difference between what synth writes and what is committed. */
export type Drift =
  | { readonly file: string; readonly kind: 'missing' }
  | { readonly file: string; readonly kind: 'stale' }
  | { readonly file: string; readonly kind: 'changed'; readonly line: number; readonly expected: string; readonly actual: string };

const posix = (path: string) => path.split(sep).join('/');

/** The files a previous synth recorded in `dir`'s marker (relative, `/`-separated), whether or not they still exist. */
export function recordedFiles(dir: string): string[] {
  const marker = join(dir, SYNTH_FILES_MARKER);
  if (!existsSync(marker)) return [];
  return readFileSync(marker, 'utf8').split('\n').map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.split('/').includes('..'));
}

/** The files synth owns below `dir`: those its marker lists, and manifests of the flat layout; sorted, existing only. */
export function ownedFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files = new Set(recordedFiles(dir).filter((file) => existsSync(join(dir, file)) && statSync(join(dir, file)).isFile()));
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith(MANIFEST_SUFFIX)) files.add(posix(relative(dir, path)));
    }
  };
  walk(dir);
  return [...files].sort();
}

function changed(file: string, want: string, have: string): Drift | undefined {
  if (want === have) return undefined;
  const left = want.split('\n');
  const right = have.split('\n');
  let i = 0;
  while (i < left.length && i < right.length && left[i] === right[i]) i++;
  return { file, kind: 'changed', line: i + 1, expected: left[i] ?? '<end of file>', actual: right[i] ?? '<end of file>' };
}

/**
 * Compares the files synth would write (`files`: relative path → content) with the
 * directory `actual`: missing and changed files in path order, then stale ones (owned by
 * synth in `actual`, see {@link ownedFiles}, but no longer written).
 */
export function filesDrift(files: ReadonlyMap<string, string>, actual: string): Drift[] {
  const drift: Drift[] = [];
  for (const file of [...files.keys()].sort()) {
    const path = join(actual, file);
    if (!existsSync(path)) {
      drift.push({ file, kind: 'missing' });
      continue;
    }
    const difference = changed(file, files.get(file) ?? '', readFileSync(path, 'utf8'));
    if (difference) drift.push(difference);
  }
  for (const file of ownedFiles(actual)) if (!files.has(file)) drift.push({ file, kind: 'stale' });
  return drift;
}

/** Compares freshly synthesized output (`expected`, a directory) with a committed directory (`actual`). */
export function manifestDrift(expected: string, actual: string): Drift[] {
  return filesDrift(new Map(ownedFiles(expected).map((file) => [file, readFileSync(join(expected, file), 'utf8')])), actual);
}

/**
 * One line per difference, for people and CI logs, after a first line that says to run
 * `command` (the synth that regenerates `dir`) and commit the result.
 */
export function formatDrift(dir: string, drift: readonly Drift[], command = 'npm run synth'): string {
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
  return [`${dir} is out of date (${drift.length} file${drift.length === 1 ? '' : 's'}); run \`${command}\` and commit the result:`, ...lines].join('\n');
}
