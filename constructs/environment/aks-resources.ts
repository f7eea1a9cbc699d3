/** The names of the Azure resources the AKS stack creates that the charts refer to. */
import type { AzureCluster } from './schema.js';

/** The resource group of an AKS environment: the cluster, its network, its workspace and Velero's storage account live in it. */
export function aksResourceGroupName(cluster: Pick<AzureCluster, 'name'>): string {
  return `rg-${cluster.name}`;
}
