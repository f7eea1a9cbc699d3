/**
 * The cloud half of workload identity, for the kit's controllers and for apps alike: a
 * Kubernetes ServiceAccount bound to a cloud identity, so its pods reach cloud APIs without
 * keys.
 *
 * - EKS: an IAM role that EKS Pod Identity may assume (`pods.eks.amazonaws.com`), the policy
 *   as an inline role policy, and a Pod Identity association for the ServiceAccount.
 * - AKS: a user-assigned managed identity, a federated credential that trusts the cluster's
 *   OIDC issuer for exactly this ServiceAccount, and the role assignments. The identity's
 *   client id is a cluster value (`KIT_IDENTITY_…_CLIENT_ID`) that the ServiceAccount's
 *   annotation carries as a placeholder; {@link WorkloadIdentityBindings.clusterValues} gives
 *   the values to fill in.
 */
import * as aws from '@pulumi/aws';
import * as azure from '@pulumi/azure-native';
import * as pulumi from '@pulumi/pulumi';
import type { WorkloadIdentityRequest } from '../constructs/index.js';

/** The audience AKS workload identity tokens carry. */
export const AZURE_TOKEN_AUDIENCE = 'api://AzureADTokenExchange';

/** The trust policy of a role that EKS Pod Identity assumes. */
export const POD_IDENTITY_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
});

/** Arguments of {@link awsPodIdentity}. */
export interface AwsPodIdentityArgs {
  /** The EKS cluster's name. */
  readonly clusterName: pulumi.Input<string>;
  /** The ServiceAccount's namespace. */
  readonly namespace: string;
  /** The ServiceAccount's name. */
  readonly serviceAccount: string;
  /** The role's policy document (JSON). */
  readonly policy: pulumi.Input<string>;
  /** What the role is for, in its description. */
  readonly description: string;
  /** What the association waits for (the Pod Identity agent add-on). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** An IAM role with `policy`, bound to one ServiceAccount by EKS Pod Identity. */
export function awsPodIdentity(name: string, args: AwsPodIdentityArgs, parent: pulumi.Resource): { role: aws.iam.Role; association: aws.eks.PodIdentityAssociation } {
  const role = new aws.iam.Role(name, {
    description: `${args.description} (Pod Identity: ${args.namespace}/${args.serviceAccount})`,
    assumeRolePolicy: POD_IDENTITY_TRUST_POLICY,
  }, { parent });
  const rolePolicy = new aws.iam.RolePolicy(name, { role: role.id, policy: args.policy }, { parent });
  const association = new aws.eks.PodIdentityAssociation(name, {
    clusterName: args.clusterName,
    namespace: args.namespace,
    serviceAccount: args.serviceAccount,
    roleArn: role.arn,
  }, { parent, dependsOn: [...(args.dependsOn ?? []), rolePolicy] });
  return { role, association };
}

/** Arguments of {@link azureWorkloadIdentity}. */
export interface AzureWorkloadIdentityArgs {
  /** The resource group the identity is created in (the cluster's). */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The identity's region. */
  readonly location: pulumi.Input<string>;
  /** The identity's name. */
  readonly identityName: string;
  /** The cluster's OIDC issuer URL. */
  readonly issuer: pulumi.Input<string>;
  /** The ServiceAccount's namespace. */
  readonly namespace: string;
  /** The ServiceAccount's name. */
  readonly serviceAccount: string;
  /** The role assignments: role definition ids (GUIDs) and scopes. */
  readonly roles: readonly { readonly roleDefinitionId: string; readonly scope: pulumi.Input<string> }[];
  /** The subscription the role definitions are in. */
  readonly subscriptionId: pulumi.Input<string>;
  /** Tags of the identity. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A user-assigned managed identity that one ServiceAccount of the cluster may use, with its roles. */
export function azureWorkloadIdentity(name: string, args: AzureWorkloadIdentityArgs, parent: pulumi.Resource): {
  identity: azure.managedidentity.UserAssignedIdentity;
  credential: azure.managedidentity.FederatedIdentityCredential;
  assignments: azure.authorization.RoleAssignment[];
} {
  const identity = new azure.managedidentity.UserAssignedIdentity(name, {
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    resourceName: args.identityName,
    ...(args.tags && { tags: { ...args.tags } }),
  }, { parent });
  const credential = new azure.managedidentity.FederatedIdentityCredential(name, {
    resourceGroupName: args.resourceGroupName,
    resourceName: identity.name,
    federatedIdentityCredentialResourceName: `${args.namespace}-${args.serviceAccount}`.slice(0, 120),
    issuer: args.issuer,
    subject: `system:serviceaccount:${args.namespace}:${args.serviceAccount}`,
    audiences: [AZURE_TOKEN_AUDIENCE],
  }, { parent });
  const assignments = args.roles.map((role, i) => new azure.authorization.RoleAssignment(`${name}-role-${i}`, {
    principalId: identity.principalId,
    principalType: 'ServicePrincipal',
    roleDefinitionId: pulumi.interpolate`/subscriptions/${args.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role.roleDefinitionId}`,
    scope: role.scope,
  }, { parent }));
  return { identity, credential, assignments };
}

/** The cluster facts the bindings need, per cloud. */
export type WorkloadIdentityCluster =
  | { readonly cloud: 'aws'; readonly clusterName: pulumi.Input<string>; readonly dependsOn: pulumi.Resource[] }
  | {
    readonly cloud: 'azure';
    readonly clusterName: string;
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    readonly issuer: pulumi.Input<string>;
    readonly subscriptionId: pulumi.Input<string>;
    readonly tags?: Readonly<Record<string, string>>;
  };

/** What a second stack (or a person) needs to know of one binding. */
export interface WorkloadIdentityOutput {
  /** `<namespace>/<name>` of the ServiceAccount. */
  readonly serviceAccount: string;
  /** EKS: the role's ARN. */
  readonly roleArn?: pulumi.Output<string>;
  /** AKS: the managed identity's client id. */
  readonly clientId?: pulumi.Output<string>;
  /** AKS: the managed identity's principal (object) id, for further role assignments. */
  readonly principalId?: pulumi.Output<string>;
}

/** Arguments of {@link WorkloadIdentityBindings}. */
export interface WorkloadIdentityBindingsArgs {
  /** The cluster the ServiceAccounts are in. */
  readonly cluster: WorkloadIdentityCluster;
  /** The App's workload identities (`WorkloadIdentity.of(app).map((w) => w.request)`). */
  readonly identities: readonly WorkloadIdentityRequest[];
}

/** The cloud identities of the App's WorkloadIdentity constructs, one binding each. */
export class WorkloadIdentityBindings extends pulumi.ComponentResource {
  /** The bindings, by `<namespace>/<name>` of their ServiceAccount. */
  public readonly bindings: Record<string, WorkloadIdentityOutput> = {};
  /** The cluster values the bindings make (each AKS identity's client id), for the objects' placeholders. */
  public readonly clusterValues: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: WorkloadIdentityBindingsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('k8s-platform-kit:cloud:WorkloadIdentityBindings', name, {}, opts);
    const { cluster } = args;
    for (const request of args.identities) {
      const { namespace, name: serviceAccount } = request.serviceAccount;
      const key = `${namespace}/${serviceAccount}`;
      if (request.cloud !== cluster.cloud) {
        throw new pulumi.ResourceError(`WorkloadIdentity '${request.path}': cloud ('${request.cloud}') is not the cluster's ('${cluster.cloud}')`, this);
      }
      const id = `${name}-${namespace}-${serviceAccount}`;
      if (cluster.cloud === 'aws') {
        const { role } = awsPodIdentity(id, {
          clusterName: cluster.clusterName,
          namespace,
          serviceAccount,
          policy: request.awsPolicy ?? '',
          description: `workload identity ${request.path}`,
          dependsOn: cluster.dependsOn,
        }, this);
        this.bindings[key] = { serviceAccount: key, roleArn: role.arn };
      } else {
        const { identity } = azureWorkloadIdentity(id, {
          resourceGroupName: cluster.resourceGroupName,
          location: cluster.location,
          identityName: `id-${cluster.clusterName}-${namespace}-${serviceAccount}`.slice(0, 128),
          issuer: cluster.issuer,
          namespace,
          serviceAccount,
          roles: request.azureRoles,
          subscriptionId: cluster.subscriptionId,
          ...(cluster.tags && { tags: cluster.tags }),
        }, this);
        this.bindings[key] = { serviceAccount: key, clientId: identity.clientId, principalId: identity.principalId };
        this.clusterValues[request.clientIdValue] = identity.clientId;
      }
    }
    this.registerOutputs({ bindings: this.bindings });
  }
}
