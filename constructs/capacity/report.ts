/**
 * The capacity plan for people: a text report (per-pool table, scenarios, problems, cost)
 * and an SVG picture of each pool's fill.
 */
import { monthly, type CapacityPlan, type PoolReport } from './plan.js';

const GIB = 1024 ** 3;

/** `1.5` cores from millicores. */
export function formatCpu(millicores: number): string {
  return `${Number((millicores / 1000).toFixed(2))}`;
}

/** `6.5Gi` from bytes. */
export function formatMemory(bytes: number): string {
  return `${Number((bytes / GIB).toFixed(1))}Gi`;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '-';
}

function fill(requested: number, available: number, format: (n: number) => string): string {
  return `${format(requested)}/${format(available)} (${percent(requested, available)})`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function money(plan: CapacityPlan, amount: number | undefined): string {
  return amount === undefined ? 'n/a' : `${amount.toFixed(0)} ${plan.prices.currency}`;
}

function costOf(pool: PoolReport, nodes: number | undefined): number | undefined {
  return pool.hourly === undefined || nodes === undefined ? undefined : monthly(pool.hourly, nodes);
}

const sum = (values: readonly (number | undefined)[]) => (values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, v) => a + (v ?? 0), 0));

/** The report `npm run capacity` prints. */
export function formatPlan(plan: CapacityPlan): string {
  const out: string[] = [];
  out.push(`Capacity of ${plan.environment} (${plan.cloud} ${plan.region}, ${plan.tier}): ${plan.fits ? 'fits' : 'DOES NOT FIT'}`);
  out.push('');
  out.push(table(
    ['pool', 'type', 'nodes min/desired/max', 'per node cpu/mem/pods', 'cpu requested', 'memory requested', 'pods', 'smallest at rest', 'smallest at peak'],
    plan.pools.map((p) => [
      p.pool,
      `${p.machineType}${p.spot ? ' (spot)' : ''}`,
      `${p.min}/${p.desired}/${p.max}`,
      `${formatCpu(p.allocatable.cpu)}/${formatMemory(p.allocatable.memory)}/${p.allocatable.pods}`,
      fill(p.requested.cpu, p.available.cpu, formatCpu),
      fill(p.requested.memory, p.available.memory, formatMemory),
      fill(p.requested.pods, p.available.pods, String),
      p.smallestSteady === undefined ? `> ${p.max} nodes` : `${p.smallestSteady} node(s)`,
      p.smallestPeak === undefined ? `> ${p.max} nodes` : `${p.smallestPeak} node(s)`,
    ]),
  ));
  out.push('');
  out.push('Scenarios:');
  for (const s of plan.scenarios) {
    const verdict = s.fits ? 'fits' : s.severity === 'error' ? 'FAILS' : 'warning';
    const nodes = Object.entries(s.nodes).map(([pool, n]) => `${pool}=${n}`).join(' ');
    out.push(`  ${verdict.padEnd(7)} ${s.name} (nodes: ${nodes})`);
  }
  if (plan.problems.length > 0) {
    out.push('');
    out.push('Problems:');
    for (const p of plan.problems) out.push(`  ${p.severity.toUpperCase()} [${p.scenario}] ${p.message}`);
  }
  if (plan.uncounted.length > 0) {
    out.push('');
    out.push('Not counted:');
    for (const u of plan.uncounted) out.push(`  ${u.id}: ${u.reason}`);
  }
  out.push('');
  out.push(`Estimated monthly cost (${plan.prices.currency}, on-demand list prices; ${plan.prices.source}; as of ${plan.prices.asOf}):`);
  const controlPlane = monthly(plan.prices.controlPlaneHourly, 1);
  out.push(table(
    ['pool', 'per node', 'at desired', 'at rest (smallest)', 'at peak (smallest)'],
    [
      ...plan.pools.map((p) => [
        p.pool,
        p.hourly === undefined ? `no price for ${p.machineType} in ${plan.region}` : `${money(plan, costOf(p, 1))}${p.spot ? ' (spot: at most this)' : ''}`,
        money(plan, costOf(p, p.desired)),
        money(plan, costOf(p, p.smallestSteady)),
        money(plan, costOf(p, p.smallestPeak)),
      ]),
      ['control plane', '', money(plan, controlPlane), money(plan, controlPlane), money(plan, controlPlane)],
      [
        'total',
        '',
        money(plan, sum([...plan.pools.map((p) => costOf(p, p.desired)), controlPlane])),
        money(plan, sum([...plan.pools.map((p) => costOf(p, p.smallestSteady)), controlPlane])),
        money(plan, sum([...plan.pools.map((p) => costOf(p, p.smallestPeak)), controlPlane])),
      ],
    ],
  ));
  return out.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An SVG bar chart of each pool's fill at rest: CPU, memory and pod slots requested of allocatable. */
export function fillChart(plan: CapacityPlan): string {
  const rowHeight = 22;
  const barWidth = 360;
  const left = 190;
  const resources: readonly ('cpu' | 'memory' | 'pods')[] = ['cpu', 'memory', 'pods'];
  const rows = plan.pools.flatMap((pool) => resources.map((resource) => ({ pool, resource })));
  const height = 50 + rows.length * rowHeight + plan.pools.length * 8;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${left + barWidth + 90}" height="${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<title>${escapeXml(`Pool fill at rest: ${plan.environment}`)}</title>`);
  parts.push(`<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(`${plan.environment}: requested / allocatable at rest`)}</text>`);
  let y = 40;
  let previous = '';
  for (const { pool, resource } of rows) {
    if (pool.pool !== previous && previous !== '') y += 8;
    previous = pool.pool;
    const used = pool.requested[resource];
    const total = pool.available[resource];
    const ratio = total > 0 ? used / total : 1;
    const color = ratio > 0.9 ? '#d62728' : ratio > 0.7 ? '#ff7f0e' : '#2ca02c';
    parts.push(`<text x="10" y="${y + 14}">${escapeXml(`${pool.pool} ${resource}`)}</text>`);
    parts.push(`<rect x="${left}" y="${y + 2}" width="${barWidth}" height="${rowHeight - 6}" fill="#eeeeee"/>`);
    parts.push(`<rect x="${left}" y="${y + 2}" width="${Math.round(Math.min(ratio, 1) * barWidth)}" height="${rowHeight - 6}" fill="${color}"/>`);
    parts.push(`<text x="${left + barWidth + 8}" y="${y + 14}">${percent(used, total)}</text>`);
    y += rowHeight;
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
