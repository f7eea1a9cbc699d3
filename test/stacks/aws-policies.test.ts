/**
 * The add-ons' IAM policies: what each statement may touch (the autoscaler only this
 * cluster's groups, external-dns only its zone, Velero only its bucket and key), the Load
 * Balancer Controller's policy as pinned upstream, and the shape IAM requires.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  AWS_LOAD_BALANCER_CONTROLLER_IAM_POLICY,
  awsLoadBalancerControllerPolicy,
  clusterAutoscalerPolicy,
  externalDnsPolicy,
  veleroPolicy,
  type PolicyDocument,
  type PolicyStatement,
} from '../../stacks/_aws-policies.js';

const ZONE = 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ';
const BUCKET = 'arn:aws:s3:::kit-prod-backups';
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CLUSTER_ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/kit-prod';

const list = (value: string | readonly string[]): readonly string[] => (typeof value === 'string' ? [value] : value);
/** The statements that grant `action`. */
const granting = (policy: PolicyDocument, action: string): PolicyStatement[] => policy.Statement.filter((s) => list(s.Action).includes(action));
const actionsOf = (policy: PolicyDocument): string[] => policy.Statement.flatMap((s) => list(s.Action)).sort();

describe('clusterAutoscalerPolicy', () => {
  const policy = clusterAutoscalerPolicy('kit-prod');

  it("restricts the mutating actions to the cluster's Auto Scaling groups by their auto-discovery tags", () => {
    for (const action of ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']) {
      const statements = granting(policy, action);
      assert.equal(statements.length, 1, action);
      assert.deepEqual(statements[0]!.Condition, {
        StringEquals: {
          'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
          'aws:ResourceTag/k8s.io/cluster-autoscaler/kit-prod': 'owned',
        },
      });
    }
  });

  it('describes on *, with no condition', () => {
    const describe = policy.Statement.find((s) => s.Sid === 'Describe')!;
    assert.deepEqual(list(describe.Resource), ['*']);
    assert.equal(describe.Condition, undefined);
    assert.ok(list(describe.Action).every((a) => /^(autoscaling:Describe|ec2:Describe|ec2:Get)/.test(a)), 'only read actions');
  });

  it("scopes eks:DescribeNodegroup to the cluster's node groups, pinned by the cluster ARN when given", () => {
    assert.deepEqual(granting(policy, 'eks:DescribeNodegroup').map((s) => s.Resource), [['arn:aws:eks:*:*:nodegroup/kit-prod/*']]);
    assert.deepEqual(granting(clusterAutoscalerPolicy('kit-prod', CLUSTER_ARN), 'eks:DescribeNodegroup').map((s) => s.Resource),
      [['arn:aws:eks:eu-west-1:111122223333:nodegroup/kit-prod/*']]);
  });

  it("grants exactly the actions of upstream's full-features policy (cluster-autoscaler 1.35)", () => {
    assert.deepEqual(actionsOf(policy), [
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribeAutoScalingInstances',
      'autoscaling:DescribeLaunchConfigurations',
      'autoscaling:DescribeScalingActivities',
      'autoscaling:SetDesiredCapacity',
      'autoscaling:TerminateInstanceInAutoScalingGroup',
      'ec2:DescribeImages',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeLaunchTemplateVersions',
      'ec2:GetInstanceTypesFromInstanceRequirements',
      'eks:DescribeNodegroup',
    ]);
  });

  it('throws if the cluster name is not one, or the ARN is not that cluster\'s', () => {
    assert.throws(() => clusterAutoscalerPolicy('*'), {
      message: "clusterAutoscalerPolicy: 'clusterName' must be an EKS cluster name (letters, digits, - and _, at most 100), got '*'",
    });
    assert.throws(() => clusterAutoscalerPolicy('kit-prod', 'arn:aws:eks:eu-west-1:111122223333:cluster/kit-staging'), {
      message: "clusterAutoscalerPolicy: 'clusterArn' must be the ARN of cluster 'kit-prod' (arn:<partition>:eks:<region>:<account>:cluster/kit-prod), got 'arn:aws:eks:eu-west-1:111122223333:cluster/kit-staging'",
    });
  });
});

describe('externalDnsPolicy', () => {
  const policy = externalDnsPolicy(ZONE);

  it('changes and lists records, and lists tags, in the one hosted zone only', () => {
    for (const action of ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources']) {
      assert.deepEqual(granting(policy, action).map((s) => list(s.Resource)), [[ZONE]], action);
    }
  });

  it('lists hosted zones on *, and nothing else there', () => {
    const wide = policy.Statement.filter((s) => list(s.Resource).includes('*'));
    assert.deepEqual(wide.map((s) => list(s.Action)), [['route53:ListHostedZones']]);
  });

  it('throws if given a zone id instead of the zone ARN', () => {
    assert.throws(() => externalDnsPolicy('Z0123456789ABCDEFGHIJ'), {
      message: "externalDnsPolicy: 'hostedZoneArn' must be a hosted zone ARN (arn:aws:route53:::hostedzone/<zone id>), got 'Z0123456789ABCDEFGHIJ'",
    });
  });
});

describe('veleroPolicy', () => {
  const policy = veleroPolicy(BUCKET, KEY);

  it("puts the object actions on the bucket's objects only, and s3:ListBucket on the bucket", () => {
    const s3 = policy.Statement.filter((s) => list(s.Action).some((a) => a.startsWith('s3:')));
    assert.deepEqual(s3.map((s) => [list(s.Action).filter((a) => a !== 's3:ListBucket').length > 0, list(s.Resource)]), [
      [true, [`${BUCKET}/*`]],
      [false, [BUCKET]],
    ]);
    assert.deepEqual(list(granting(policy, 's3:ListBucket')[0]!.Action), ['s3:ListBucket']);
  });

  it("uses the bucket's KMS key, and no other", () => {
    const kms = policy.Statement.filter((s) => list(s.Action).some((a) => a.startsWith('kms:')));
    assert.equal(kms.length, 1);
    assert.deepEqual(list(kms[0]!.Resource), [KEY]);
    assert.deepEqual(list(kms[0]!.Action), ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncrypt*', 'kms:DescribeKey']);
  });

  it('keeps the EC2 snapshot actions of the plugin README on *', () => {
    assert.deepEqual(policy.Statement.filter((s) => list(s.Resource).includes('*')).map((s) => list(s.Action)), [
      ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags', 'ec2:CreateVolume', 'ec2:CreateSnapshot', 'ec2:DeleteSnapshot'],
    ]);
  });

  it('throws if the key is an alias, or the bucket is not a bucket ARN', () => {
    assert.throws(() => veleroPolicy(BUCKET, 'arn:aws:kms:eu-west-1:111122223333:alias/velero'), {
      message: "veleroPolicy: 'kmsKeyArn' must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>), got 'arn:aws:kms:eu-west-1:111122223333:alias/velero'",
    });
    assert.throws(() => veleroPolicy('kit-prod-backups', KEY), {
      message: "veleroPolicy: 'bucketArn' must be an S3 bucket ARN (arn:aws:s3:::<bucket>), got 'kit-prod-backups'",
    });
  });
});

describe('awsLoadBalancerControllerPolicy', () => {
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const pinned = resolve(repo, process.env.KIT_THIRD_PARTY ?? '../shared/third-party', 'aws-load-balancer-controller/iam_policy.json');

  it('deep-equals the pinned upstream iam_policy.json (v3.5.0)', { skip: existsSync(pinned) ? false : `${pinned} is not here (the shared third-party folder is outside the package)` }, () => {
    assert.deepEqual(awsLoadBalancerControllerPolicy(), JSON.parse(readFileSync(pinned, 'utf8')));
  });

  it('returns a copy: changing it does not change the next one', () => {
    const policy = awsLoadBalancerControllerPolicy() as unknown as { Statement: unknown[] };
    policy.Statement.length = 0;
    assert.equal(awsLoadBalancerControllerPolicy().Statement.length, AWS_LOAD_BALANCER_CONTROLLER_IAM_POLICY.Statement.length);
    assert.equal(AWS_LOAD_BALANCER_CONTROLLER_IAM_POLICY.Statement.length, 16);
  });
});

describe('every policy', () => {
  const policies: Record<string, PolicyDocument> = {
    clusterAutoscaler: clusterAutoscalerPolicy('kit-prod', CLUSTER_ARN),
    externalDns: externalDnsPolicy(ZONE),
    velero: veleroPolicy(BUCKET, KEY),
    awsLoadBalancerController: awsLoadBalancerControllerPolicy(),
  };

  it('is a 2012-10-17 document whose every statement has Effect, Action and Resource (no Not* elements)', () => {
    for (const [name, policy] of Object.entries(policies)) {
      assert.equal(policy.Version, '2012-10-17', name);
      assert.ok(policy.Statement.length > 0, name);
      policy.Statement.forEach((statement, i) => {
        const where = `${name}.Statement[${i}]`;
        assert.ok(statement.Effect === 'Allow' || statement.Effect === 'Deny', where);
        assert.ok(list(statement.Action ?? []).length > 0, `${where}: Action`);
        assert.ok(list(statement.Resource ?? []).length > 0, `${where}: Resource`);
        assert.deepEqual(Object.keys(statement).filter((k) => k.startsWith('Not')), [], where);
      });
      assert.deepEqual(JSON.parse(JSON.stringify(policy)), policy, `${name} is plain JSON`);
    }
  });
});
