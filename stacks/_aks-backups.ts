/**
 * Velero's storage on AKS (`cluster.addons.velero`): a storage account in the cluster's
 * resource group that only Entra ID principals reach (no shared keys, no public blobs,
 * TLS 1.2, HTTPS only, encrypted with Microsoft-managed keys), soft delete for blobs and
 * containers, and the blob container Velero writes to. Velero reaches it through its
 * workload identity (Storage Blob Data Contributor on this account, `constructs/platform`'s
 * Velero), never through an account key.
 */
import * as azure from '@pulumi/azure-native';
import * as pulumi from '@pulumi/pulumi';
import type { AzureCluster } from '../constructs/environment/index.js';

/** Arguments of {@link AksBackupStorage}. */
export interface AksBackupStorageArgs {
  /** `cluster.addons.velero`, defaults applied. */
  readonly velero: NonNullable<AzureCluster['addons']['velero']>;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  /** The cluster's zones: a zonal cluster's backups are zone-redundant (Standard_ZRS), others locally redundant (Standard_LRS). */
  readonly zones: readonly string[];
  readonly tags: Record<string, string>;
}

/** The storage SKU of Velero's account: zone-redundant where the cluster spans zones, so losing a zone loses no backup. */
export function backupStorageSku(zones: readonly string[]): 'Standard_ZRS' | 'Standard_LRS' {
  return zones.length > 1 ? 'Standard_ZRS' : 'Standard_LRS';
}

/** Velero's storage account, its blob service settings and its container. */
export class AksBackupStorage extends pulumi.ComponentResource {
  public readonly account: azure.storage.StorageAccount;
  public readonly blobService: azure.storage.BlobServiceProperties;
  public readonly container: azure.storage.BlobContainer;

  constructor(name: string, args: AksBackupStorageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('k8s-platform-kit:azure:AksBackupStorage', name, {}, opts);
    const { velero, resourceGroupName, location, tags } = args;
    // The account holds every backup of the cluster: deleting it takes an explicit
    // `pulumi state unprotect` first, as the EKS backup bucket does.
    this.account = new azure.storage.StorageAccount(`${name}-account`, {
      resourceGroupName,
      location,
      accountName: velero.storageAccount,
      kind: 'StorageV2',
      sku: { name: backupStorageSku(args.zones) },
      accessTier: 'Hot',
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      minimumTlsVersion: 'TLS1_2',
      enableHttpsTrafficOnly: true,
      encryption: {
        keySource: 'Microsoft.Storage',
        requireInfrastructureEncryption: true,
        services: { blob: { enabled: true, keyType: 'Account' } },
      },
      tags,
    }, { parent: this, protect: true });
    const accountName = this.account.name;
    const retention = { enabled: true, days: velero.softDeleteDays };
    this.blobService = new azure.storage.BlobServiceProperties(`${name}-blob-service`, {
      resourceGroupName,
      accountName,
      blobServicesName: 'default',
      deleteRetentionPolicy: retention,
      containerDeleteRetentionPolicy: retention,
    }, { parent: this });
    this.container = new azure.storage.BlobContainer(`${name}-container`, {
      resourceGroupName,
      accountName,
      containerName: velero.container,
      publicAccess: 'None',
    }, { parent: this, protect: true, dependsOn: [this.blobService] });
    this.registerOutputs({ accountName, containerName: this.container.name });
  }
}
