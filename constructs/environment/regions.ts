/**
 * The regions each cloud's stack accepts, so a misspelt or display-name region fails at load
 * with the key and a suggestion, not minutes into `pulumi up`.
 *
 * AWS: the `Region` enum of @pulumi/aws 7.x (the commercial, China and GovCloud partitions;
 * the isolated ISO partitions are left out). Azure: the physical public regions `az account
 * list-locations` names (`name`, lower case, no spaces). A region that opens later is added
 * here with the release that supports it.
 */
import { editDistance } from '../core/suggest.js';

/** AWS regions. */
export const AWS_REGIONS: readonly string[] = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1',
  'us-east-1', 'us-east-2', 'us-gov-east-1', 'us-gov-west-1', 'us-west-1', 'us-west-2',
];

/** Azure public regions, by the name ARM takes. */
export const AZURE_REGIONS: readonly string[] = [
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast', 'belgiumcentral', 'brazilsouth',
  'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralindia', 'centralus', 'chilecentral', 'denmarkeast', 'eastasia', 'eastus',
  'eastus2', 'francecentral', 'francesouth', 'germanynorth', 'germanywestcentral', 'indonesiacentral', 'israelcentral', 'italynorth',
  'japaneast', 'japanwest', 'jioindiacentral', 'jioindiawest', 'koreacentral', 'koreasouth', 'malaysiawest', 'mexicocentral',
  'newzealandnorth', 'northcentralus', 'northeurope', 'norwayeast', 'norwaywest', 'polandcentral', 'qatarcentral', 'southafricanorth',
  'southafricawest', 'southcentralus', 'southeastasia', 'southindia', 'spaincentral', 'swedencentral', 'switzerlandnorth',
  'switzerlandwest', 'uaecentral', 'uaenorth', 'uksouth', 'ukwest', 'westcentralus', 'westeurope', 'westindia', 'westus', 'westus2', 'westus3',
];


/**
 * What `region` should have been for `cloud`, as an expectation with a suggestion
 * (`expected an Azure region name: did you mean 'westeurope'?`); `undefined` for a known region.
 */
export function regionExpectation(cloud: 'aws' | 'azure', region: string): string | undefined {
  const regions = cloud === 'aws' ? AWS_REGIONS : AZURE_REGIONS;
  if (regions.includes(region)) return undefined;
  const kind = cloud === 'aws' ? 'an AWS region' : 'an Azure region';
  // 'West Europe', 'westEurope', 'EU-WEST-1': the display name or another spelling of one.
  const normalized = cloud === 'aws' ? region.trim().toLowerCase().replace(/[\s_]+/g, '-') : region.toLowerCase().replace(/[\s_-]+/g, '');
  if (regions.includes(normalized)) return `expected ${kind} name, as ${cloud === 'aws' ? 'the API' : 'ARM'} writes it: did you mean '${normalized}'?`;
  const close = regions
    .map((candidate) => ({ candidate, distance: editDistance(normalized, candidate) }))
    .filter((c) => c.distance <= Math.max(2, Math.floor(normalized.length / 4)))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((c) => `'${c.candidate}'`);
  return close.length > 0
    ? `expected ${kind}: did you mean ${close.join(' or ')}?`
    : `expected ${kind} (the list is in constructs/environment/regions.ts), e.g. '${cloud === 'aws' ? 'eu-west-1' : 'westeurope'}'`;
}
