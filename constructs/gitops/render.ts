/**
 * Renders a cdk8s App once: every chart's objects as JSON, in the order `app.synth()`
 * writes them, with their construct paths and the charts each chart depends on.
 *
 * `app.synth()` and `chart.toJson()` render each chart through `App._synthChart`, which
 * re-runs the App-wide dependency resolution and construct validation for every chart
 * (work that grows with charts × constructs), and `assertValid(app)` and `objectsOf(app)`
 * render every object again. This does cdk8s's passes once for the whole App, with the
 * same semantics (the same construct validation and error message, the same implicit
 * chart and object dependencies, the same topological orders, the App's resolvers through
 * `ApiObject.toJson()`), then renders each object exactly once. The JSON is what
 * validation, the capacity check, the graph and the writer all read.
 */
import { ApiObject, Chart, DependencyGraph, Names, type App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import type { ManifestObject } from '../core/manifest.js';

/** One rendered object and the construct that produced it. */
export interface RenderedObject {
  /** The object as plain JSON. */
  readonly object: ManifestObject;
  /** The construct path of the ApiObject (`todoapi/Api/Resource`). */
  readonly constructPath: string;
}

/** One rendered chart. */
export interface RenderedChart {
  /** The chart's construct path (`todoapi`). */
  readonly path: string;
  /** The chart's name as cdk8s names its output (`Names.toDnsLabel(chart)`): `todoapi`. */
  readonly name: string;
  /** The names of the charts this one depends on (explicit and implied by its constructs), sorted. */
  readonly dependsOn: readonly string[];
  /** Its objects, in the order cdk8s writes them (dependencies first). */
  readonly objects: readonly RenderedObject[];
}

/** An App rendered once. */
export interface RenderedApp {
  /** The charts, in the order cdk8s writes them (dependencies first). */
  readonly charts: readonly RenderedChart[];
}

/** Every rendered object, chart after chart: the input of validation, capacity and the graph. */
export function renderedObjects(rendered: RenderedApp): RenderedObject[] {
  return rendered.charts.flatMap((chart) => chart.objects);
}

/** Memoized `node.findAll()`, as cdk8s's own synth request cache. */
class FindAllCache {
  private readonly cache = new Map<IConstruct, IConstruct[]>();
  findAll(construct: IConstruct): IConstruct[] {
    let all = this.cache.get(construct);
    if (all === undefined) {
      all = construct.node.findAll();
      this.cache.set(construct, all);
    }
    return all;
  }
}

/** cdk8s's construct validation (`node.validate()` of every construct), with its error message. */
function validateConstructs(all: readonly IConstruct[]): void {
  const errors: string[] = [];
  for (const child of all) {
    for (const error of child.node.validate()) errors.push(`[${child.node.path}] ${error}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * cdk8s's dependency resolution: a parent chart depends on its nested charts; a dependency
 * between constructs of two charts makes the charts depend on each other; and every
 * ApiObject below a dependent construct depends on every ApiObject below its dependency.
 */
function resolveDependencies(app: App, cache: FindAllCache): void {
  const all = cache.findAll(app);
  for (const parent of all.filter((c): c is Chart => c instanceof Chart)) {
    for (const child of parent.node.children.filter((c) => c instanceof Chart)) parent.node.addDependency(child);
  }
  const deps = () => all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
  for (const { source, target } of deps()) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) sourceChart.node.addDependency(targetChart);
  }
  for (const { source, target } of deps()) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    const targets = cache.findAll(target).filter((c) => c instanceof ApiObject && Chart.of(c) === targetChart);
    const sources = cache.findAll(source).filter((c) => c instanceof ApiObject && Chart.of(c) === sourceChart);
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
}

/**
 * Renders every chart of `app` once. Throws what `app.synth()` would throw: construct
 * validation errors, dependency cycles, and failures to serialize an object.
 */
export function renderApp(app: App): RenderedApp {
  const cache = new FindAllCache();
  validateConstructs(cache.findAll(app));
  resolveDependencies(app, cache);
  const charts = app.charts;
  const names = new Map(charts.map((chart) => [chart, Names.toDnsLabel(chart)]));
  return {
    charts: charts.map((chart) => ({
      path: chart.node.path,
      name: names.get(chart) ?? '',
      dependsOn: [...new Set(chart.node.dependencies.filter((d): d is Chart => d instanceof Chart).map((d) => names.get(d) ?? Names.toDnsLabel(d)))].sort(),
      objects: new DependencyGraph(chart.node).topology()
        .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
        .map((apiObject) => ({ object: apiObject.toJson() as ManifestObject, constructPath: apiObject.node.path })),
    })),
  };
}
