/**
 * The GitOps writer: an App rendered once ({@link renderApp}) laid out as an environment's
 * directory of a GitOps repository.
 *
 * ```
 * dist/<env>/
 *   kustomization.yaml            the Flux Kustomizations' files (flux/…)
 *   flux/                         one Flux Kustomization per chart directory (what the bootstrap sync applies)
 *     kustomization.yaml
 *     kustomization-platform-namespaces.yaml
 *     kustomization-platform-todoapi.yaml      dependsOn: platform-namespaces
 *   namespaces/                   one directory per chart, one file per object
 *     kustomization.yaml          the files, in apply order
 *     namespace-todo.yaml
 *   todoapi/
 *     kustomization.yaml
 *     service-todoapi.yaml
 *     deployment-todoapi.yaml
 *     …
 *   .k8s-platform-kit-files       the files this synth wrote (stale-file removal)
 * ```
 *
 * Same input, same bytes: objects are rendered by cdk8s (keys sorted) and written with
 * cdk8s's YAML settings; files and directories are named from the objects and charts.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App, Chart } from 'cdk8s';
import type { ManifestObject } from '../core/manifest.js';
import { clusterValuesIn, foreignSubstitutionsIn } from '../core/cluster-values.js';
import type { ValidationInput } from '../policy/validate.js';
import { ChartKustomizations, type SopsDecryption } from './chart-kustomizations.js';
import { MANIFEST_SUFFIX, SYNTH_FILES_MARKER, filesDrift, recordedFiles, type Drift } from './drift.js';
import { KUSTOMIZATION_FILE, applyOrder, fileNamesOf, kustomizationYaml, objectYaml } from './layout.js';
import { renderApp, renderedObjects, type RenderedApp, type RenderedChart } from './render.js';

/** The directory of an environment's output that holds the Flux Kustomizations. */
export const FLUX_DIRECTORY = 'flux';

/** Options of {@link planGitOps}. */
export interface GitOpsOptions {
  /** The environment's directory in the Git repository, as Flux sees it: `./dist/prod`. */
  readonly repositoryPath: string;
  /** The GitRepository the bootstrap sync created. @default 'platform' */
  readonly sourceName?: string;
  /** Flux's namespace. @default 'flux-system' */
  readonly namespace?: string;
  /** How often Flux reconciles each chart directory. @default '5m' */
  readonly interval?: string;
  /** How long one reconciliation of a chart directory may take. @default '10m' */
  readonly timeout?: string;
  /**
   * SOPS decryption of the chart directories (see ChartKustomizations).
   * @default - none
   */
  readonly decryption?: SopsDecryption;
}

/** An environment's GitOps output, rendered and laid out, not yet written. */
export interface GitOpsPlan {
  /** The App's charts, rendered once. */
  readonly rendered: RenderedApp;
  /** The Flux Kustomizations, rendered (a chart of their own, validated like any other). */
  readonly flux: RenderedChart;
  /** Every file to write: path relative to the environment's directory (`/`-separated) → content; sorted by path. */
  readonly files: ReadonlyMap<string, string>;
  /** The object each object file holds (the same paths as {@link files}, without the kustomization.yaml files); sorted by path. */
  readonly objects: ReadonlyMap<string, ManifestObject>;
}

/** Every object of a plan with its construct path, the App's and the Flux Kustomizations: the input of validation. */
export function validationInputsOf(plan: GitOpsPlan): ValidationInput[] {
  return [...renderedObjects(plan.rendered), ...plan.flux.objects].map(({ object, constructPath }) => ({ object, constructPath }));
}

/**
 * The cluster values a chart's objects hold. Flux substitutes every `${…}` of a directory it
 * substitutes, so one with a cluster value may hold no other: that is an error naming them.
 */
function directoryClusterValues(chart: RenderedChart): string[] {
  const objects = chart.objects.map((o) => o.object);
  const values = clusterValuesIn(objects);
  if (values.length === 0) return values;
  const foreign = foreignSubstitutionsIn(objects);
  if (foreign.length > 0) {
    throw new Error(`chart '${chart.path}' holds cluster values (${values.join(', ')}), which Flux substitutes in its directory, and also ${foreign.join(', ')}, ` +
      'which Flux would substitute too; move the objects with cluster values to a chart of their own');
  }
  return values;
}

/** The cluster values of every chart directory of a plan, sorted: what the sync that applies the Kustomizations substitutes. */
export function clusterValuesOf(plan: GitOpsPlan): string[] {
  return clusterValuesIn(plan.flux.objects.map((o) => o.object));
}

/** Renders the Flux Kustomizations of the rendered charts. */
function renderFlux(rendered: RenderedApp, options: GitOpsOptions): RenderedChart {
  const app = new App();
  const chart = new Chart(app, FLUX_DIRECTORY);
  new ChartKustomizations(chart, 'Charts', {
    charts: rendered.charts.map((c) => ({ name: c.name, dependsOn: c.dependsOn, clusterValues: directoryClusterValues(c) })),
    path: options.repositoryPath,
    ...(options.sourceName !== undefined && { sourceName: options.sourceName }),
    ...(options.namespace !== undefined && { namespace: options.namespace }),
    ...(options.interval !== undefined && { interval: options.interval }),
    ...(options.timeout !== undefined && { timeout: options.timeout }),
    ...(options.decryption !== undefined && { decryption: options.decryption }),
  });
  const [flux] = renderApp(app).charts;
  if (!flux) throw new Error('the Flux chart rendered no chart');
  return flux;
}

/** A directory's files: one per object, named by kind and name, and its kustomization.yaml in apply order. */
function directoryFiles(dir: string, objects: readonly RenderedChart['objects'][number][], files: Map<string, string>, byFile: Map<string, ManifestObject>): string[] {
  const ordered = applyOrder(objects.map((o) => o.object));
  const names = fileNamesOf(ordered, [KUSTOMIZATION_FILE]);
  ordered.forEach((object, i) => {
    const file = `${dir}/${names[i]}`;
    files.set(file, objectYaml(object));
    byFile.set(file, object);
  });
  files.set(`${dir}/${KUSTOMIZATION_FILE}`, kustomizationYaml(names));
  return names;
}

/** Lays out an App rendered by {@link renderApp}: one directory per chart, plus the Flux Kustomizations. */
export function layoutGitOps(rendered: RenderedApp, options: GitOpsOptions): GitOpsPlan {
  const flux = renderFlux(rendered, options);
  const files = new Map<string, string>();
  const objects = new Map<string, ManifestObject>();
  const seen = new Map<string, string>();
  for (const chart of rendered.charts) {
    if (chart.name === FLUX_DIRECTORY) throw new Error(`chart '${chart.path}' would be written to ${FLUX_DIRECTORY}/, the directory of the Flux Kustomizations; rename the chart`);
    const other = seen.get(chart.name);
    if (other !== undefined) throw new Error(`charts '${other}' and '${chart.path}' would both be written to ${chart.name}/; rename one`);
    seen.set(chart.name, chart.path);
    directoryFiles(chart.name, chart.objects, files, objects);
  }
  // The top-level kustomization.yaml lists the Flux Kustomizations' files (not the flux/ directory,
  // which kustomize before v3 cannot take as a resource): a sync of the whole environment
  // directory applies the same as a sync of flux/.
  const fluxFiles = directoryFiles(FLUX_DIRECTORY, flux.objects, files, objects);
  files.set(KUSTOMIZATION_FILE, kustomizationYaml(fluxFiles.map((file) => `${FLUX_DIRECTORY}/${file}`)));
  const byPath = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);
  return { rendered, flux, files: new Map([...files.entries()].sort(byPath)), objects: new Map([...objects.entries()].sort(byPath)) };
}

/** Renders `app` once and lays it out: {@link renderApp}, then {@link layoutGitOps}. */
export function planGitOps(app: App, options: GitOpsOptions): GitOpsPlan {
  return layoutGitOps(renderApp(app), options);
}

/** What {@link writeGitOps} did. */
export interface WriteResult {
  /** Files written (relative paths, sorted). */
  readonly written: readonly string[];
  /** Files removed: written by an earlier synth, not by this one (relative paths, sorted). */
  readonly removed: readonly string[];
}

/** The text of the marker that lists the files written. */
function markerText(files: Iterable<string>): string {
  return '# Written by k8s-platform-kit (npm run synth): the files below. The next synth deletes those it no longer writes.\n' +
    `${[...files].join('\n')}\n`;
}

/**
 * Writes `files` below `outdir` and removes what an earlier synth wrote there and this one
 * does not: the files listed in the earlier marker ({@link SYNTH_FILES_MARKER}), the
 * manifests of the flat layout (`*.k8s.yaml` directly in `outdir`), and directories left
 * empty by those removals. Files synth did not write are left alone. A file whose content
 * is unchanged is not rewritten.
 */
export function writeGitOps(outdir: string, files: ReadonlyMap<string, string>): WriteResult {
  mkdirSync(outdir, { recursive: true });
  const previous = new Set(recordedFiles(outdir));
  for (const entry of readdirSync(outdir)) if (entry.endsWith(MANIFEST_SUFFIX)) previous.add(entry);
  const removed: string[] = [];
  for (const file of [...previous].sort()) {
    if (files.has(file)) continue;
    const path = join(outdir, file);
    if (!existsSync(path)) continue;
    rmSync(path, { force: true });
    removed.push(file);
    removeEmptyParents(outdir, dirname(file));
  }
  const made = new Set<string>();
  for (const [file, text] of files) {
    const path = join(outdir, file);
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    writeFileSync(path, text);
  }
  writeFileSync(join(outdir, SYNTH_FILES_MARKER), markerText(files.keys()));
  return { written: [...files.keys()], removed };
}

/** Removes `dir` (relative to `outdir`) and its parents below `outdir` while they are empty. */
function removeEmptyParents(outdir: string, dir: string): void {
  for (let current = dir; current !== '.' && current !== '' && current !== '/'; current = dirname(current)) {
    const path = join(outdir, current);
    if (!existsSync(path) || readdirSync(path).length > 0) return;
    rmdirSync(path);
  }
}

/** Compares a plan's files with the directory `dir` (a committed GitOps directory): see {@link filesDrift}. */
export function gitopsDrift(files: ReadonlyMap<string, string>, dir: string): Drift[] {
  return filesDrift(files, dir);
}
