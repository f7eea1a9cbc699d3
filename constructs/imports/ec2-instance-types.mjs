#!/usr/bin/env node
// Writes constructs/imports/ec2-instance-types.ts: vCPUs, memory, NVIDIA GPUs, architecture
// and the VPC CNI's max pods of the EC2 instance families the kit plans for.
//
//   node constructs/imports/ec2-instance-types.mjs <instance-types.md> --commit <sha> --date <YYYY-MM-DD>
//
// <instance-types.md> is Karpenter's instance-type reference page (generated there from the
// EC2 API), read from a checkout of --repo at --commit; --path says where it lives there.
// Max pods come from the pinned copy of the VPC CNI's eni-max-pods.txt in the shared
// third-party folder (KIT_THIRD_PARTY, default ../shared/third-party), whose PROVENANCE.md
// names its source. Only facts are carried over: one row per instance type.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** The families in the table, in the order they are written: general purpose, compute, memory, burstable, GPU. */
export const FAMILIES = [
  'm5', 'm5a', 'm6a', 'm6g', 'm6i', 'm7a', 'm7g', 'm7i', 'm7i-flex', 'm8a', 'm8g', 'm8i', 'm8i-flex', 'm9g',
  'c5', 'c5a', 'c6a', 'c6g', 'c6i', 'c7a', 'c7g', 'c7i', 'c7i-flex', 'c8a', 'c8g', 'c8i', 'c8i-flex', 'c9g',
  'r5', 'r5a', 'r6a', 'r6g', 'r6i', 'r7a', 'r7g', 'r7i', 'r8a', 'r8g', 'r8i', 'r8i-flex',
  't2', 't3', 't3a', 't4g',
  'g4dn', 'g5', 'g5g', 'g6', 'g6e', 'g7', 'g7e', 'gr6', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200', 'p6-b300',
];

const LABEL = {
  type: 'node.kubernetes.io/instance-type',
  family: 'karpenter.k8s.aws/instance-family',
  cpu: 'karpenter.k8s.aws/instance-cpu',
  memoryMiB: 'karpenter.k8s.aws/instance-memory',
  gpuCount: 'karpenter.k8s.aws/instance-gpu-count',
  gpuManufacturer: 'karpenter.k8s.aws/instance-gpu-manufacturer',
  arch: 'kubernetes.io/arch',
};

/** The label table of each `### \`<type>\`` section of the reference page, by type. */
export function parseReference(text) {
  const types = new Map();
  let labels;
  let inLabels = false;
  for (const line of text.split('\n')) {
    const heading = /^### `([^`]+)`\s*$/.exec(line);
    if (heading) {
      labels = new Map();
      types.set(heading[1], labels);
      inLabels = false;
      continue;
    }
    if (/^#### /.test(line)) {
      inLabels = line.trim() === '#### Labels';
      continue;
    }
    if (/^##? /.test(line)) {
      labels = undefined;
      continue;
    }
    const row = /^\s*\|([^|]+)\|([^|]*)\|\s*$/.exec(line);
    if (labels && inLabels && row) labels.set(row[1].trim(), row[2].trim());
  }
  return types;
}

/** `<type> <max pods>` lines of eni-max-pods.txt, by type. */
export function parseEniMaxPods(text) {
  const maxPods = new Map();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^(\S+)\s+(\d+)\s*$/.exec(line);
    if (!match) throw new Error(`eni-max-pods.txt: unexpected line '${line}'`);
    maxPods.set(match[1], Number(match[2]));
  }
  return maxPods;
}

function whole(labels, key, type) {
  const value = labels.get(key);
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${type}: label ${key} is ${value === undefined ? 'missing' : `'${value}'`}; expected a whole number`);
  return Number(value);
}

/** The table's rows, in FAMILIES order, and the types left out for want of a max-pods figure. */
export function instanceTypes(reference, maxPods) {
  const byFamily = new Map(FAMILIES.map((family) => [family, []]));
  const skipped = [];
  for (const [type, labels] of reference) {
    const rows = byFamily.get(labels.get(LABEL.family));
    if (!rows) continue;
    if (labels.get(LABEL.type) !== type) throw new Error(`${type}: label ${LABEL.type} is '${labels.get(LABEL.type)}'`);
    const arch = labels.get(LABEL.arch);
    if (arch !== 'amd64' && arch !== 'arm64') throw new Error(`${type}: label ${LABEL.arch} is '${arch}'; expected amd64 or arm64`);
    const pods = maxPods.get(type);
    if (pods === undefined) {
      skipped.push(type);
      continue;
    }
    const nvidia = labels.get(LABEL.gpuManufacturer) === 'nvidia';
    rows.push({
      type,
      cpu: whole(labels, LABEL.cpu, type),
      memoryGiB: whole(labels, LABEL.memoryMiB, type) / 1024,
      gpus: nvidia && labels.has(LABEL.gpuCount) ? whole(labels, LABEL.gpuCount, type) : 0,
      arch,
      maxPods: pods,
    });
  }
  const empty = [...byFamily].filter(([, rows]) => rows.length === 0).map(([family]) => family);
  if (empty.length > 0) throw new Error(`no instance types of the families ${empty.join(', ')} in the reference page`);
  return { families: byFamily, skipped };
}

/** The third-party folder's PROVENANCE.md row of `folder`: repository, tag, commit and date. */
export function provenanceOf(text, folder) {
  const row = text.split('\n').find((line) => line.startsWith(`| \`${folder}/\` |`));
  const match = row && /^\| `[^`]+` \| ([^ |]+) \| `([^`]+)` \| `([0-9a-f]{40})` \((\d{4}-\d{2}-\d{2})\) \|/.exec(row);
  if (!match) throw new Error(`PROVENANCE.md: no row for ${folder}/`);
  return { repo: match[1], tag: match[2], commit: match[3], date: match[4] };
}

function render({ families, source, cni, command }) {
  const count = [...families.values()].reduce((n, rows) => n + rows.length, 0);
  const lines = [
    '// Generated by constructs/imports/ec2-instance-types.mjs. Do not edit.',
    `// vCPUs, memory, NVIDIA GPUs, architecture: ${source.repo}, commit ${source.commit} (${source.date}),`,
    `//   ${source.path} (generated there from the EC2 API).`,
    `// Max pods: ${cni.repo} ${cni.tag}, commit ${cni.commit} (${cni.date}), misc/eni-max-pods.txt,`,
    '//   as pinned in ../shared/third-party/amazon-vpc-cni/ (see its PROVENANCE.md).',
    `// ${count} instance types of ${families.size} families. Regenerate with:`,
    `//   ${command}`,
    '',
    '/** One EC2 instance type. */',
    'export interface Ec2InstanceType {',
    '  readonly cpu: number;',
    '  readonly memoryGiB: number;',
    '  /** NVIDIA GPUs. */',
    '  readonly gpus: number;',
    "  readonly arch: 'amd64' | 'arm64';",
    '  /** The VPC CNI\'s max pods without prefix delegation: ENIs × (IPv4 addresses per ENI − 1) + 2. */',
    '  readonly maxPods: number;',
    '}',
    '',
    '/** The EC2 instance types of the general-purpose, compute, memory, burstable and GPU families the kit plans for. */',
    'export const EC2_INSTANCE_TYPES: Readonly<Record<string, Ec2InstanceType>> = {',
  ];
  for (const [family, rows] of families) {
    lines.push(`  // ${family}`);
    for (const r of rows) {
      lines.push(`  '${r.type}': { cpu: ${r.cpu}, memoryGiB: ${r.memoryGiB}, gpus: ${r.gpus}, arch: '${r.arch}', maxPods: ${r.maxPods} },`);
    }
  }
  lines.push('};', '');
  return lines.join('\n');
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      repo: { type: 'string', default: 'aws/karpenter-provider-aws' },
      path: { type: 'string', default: 'website/content/en/docs/reference/instance-types.md' },
      commit: { type: 'string' },
      date: { type: 'string' },
    },
  });
  const [input] = positionals;
  if (!input || !/^[0-9a-f]{40}$/.test(values.commit ?? '') || !/^\d{4}-\d{2}-\d{2}$/.test(values.date ?? '')) {
    console.error('usage: node constructs/imports/ec2-instance-types.mjs <instance-types.md> --commit <40-hex sha> --date <YYYY-MM-DD> [--repo owner/name] [--path <file in repo>]');
    process.exit(2);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const thirdParty = resolve(root, process.env.KIT_THIRD_PARTY ?? '../shared/third-party');
  const reference = parseReference(readFileSync(input, 'utf8'));
  const maxPods = parseEniMaxPods(readFileSync(join(thirdParty, 'amazon-vpc-cni/eni-max-pods.txt'), 'utf8'));
  const cni = provenanceOf(readFileSync(join(thirdParty, 'PROVENANCE.md'), 'utf8'), 'amazon-vpc-cni');
  const { families, skipped } = instanceTypes(reference, maxPods);
  if (skipped.length > 0) console.error(`left out, not in eni-max-pods.txt: ${skipped.join(', ')}`);
  const source = { repo: values.repo, path: values.path, commit: values.commit, date: values.date };
  const command = `git --git-dir=<${values.repo} clone>/.git show ${values.commit}:${values.path} > /tmp/instance-types.md && node constructs/imports/ec2-instance-types.mjs /tmp/instance-types.md --commit ${values.commit} --date ${values.date}`;
  const output = join(root, 'constructs/imports/ec2-instance-types.ts');
  writeFileSync(output, render({ families, source, cni, command }));
  const count = [...families.values()].reduce((n, rows) => n + rows.length, 0);
  console.error(`wrote ${relative(process.cwd(), output)}: ${count} instance types of ${families.size} families`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
