/**
 * Azure's naming rules for the resources the kit names, shared by the constructs and the
 * environment schema. Each function returns the rest of a sentence (`is …`), or undefined.
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A subscription, tenant or object id: a GUID. */
export function azureGuidProblem(value: string): string | undefined {
  return GUID.test(value) ? undefined : "is not a GUID such as '00000000-0000-0000-0000-000000000000'";
}

/** A storage account name: 3 to 24 characters, lower-case letters and digits only (it is also the account's DNS name). */
export function storageAccountNameProblem(value: string): string | undefined {
  if (value.length < 3 || value.length > 24) return `is ${value.length} characters long; a storage account name has 3 to 24`;
  return /^[a-z0-9]+$/.test(value) ? undefined : 'has characters other than lower-case letters and digits, which a storage account name may not';
}

/** A blob container name: 3 to 63 characters, lower-case letters, digits and single hyphens, starting and ending with a letter or digit. */
export function blobContainerNameProblem(value: string): string | undefined {
  if (value.length < 3 || value.length > 63) return `is ${value.length} characters long; a blob container name has 3 to 63`;
  return /^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/.test(value) ? undefined : 'is not lower-case letters, digits and single hyphens, starting and ending with a letter or digit';
}

/** A resource group name: 1 to 90 characters, letters, digits, `_`, `-`, `.`, `(` and `)`, not ending in `.`. */
export function resourceGroupNameProblem(value: string): string | undefined {
  if (value.length < 1 || value.length > 90) return `is ${value.length} characters long; a resource group name has 1 to 90`;
  if (!/^[\p{L}\p{N}_\-.()]+$/u.test(value)) return "has characters a resource group name may not (letters, digits, '_', '-', '.', '(' and ')')";
  return value.endsWith('.') ? "ends with '.', which a resource group name may not" : undefined;
}
