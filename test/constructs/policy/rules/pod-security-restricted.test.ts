import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Severity } from '../../../../constructs/policy/finding.js';
import {
  POD_SECURITY_RESTRICTED_RULES, PSS_CAPABILITIES_RESTRICTED, PSS_PRIVILEGE_ESCALATION, PSS_RUN_AS_NON_ROOT,
  PSS_RUN_AS_USER, PSS_SECCOMP, PSS_VOLUME_TYPES,
} from '../../../../constructs/policy/rules/pod-security-restricted.js';
import {
  KIT_READ_ONLY_ROOT_FILESYSTEM, KIT_SERVICE_ACCOUNT_TOKEN, POD_SECURITY_KIT_RULES,
} from '../../../../constructs/policy/rules/pod-security-kit.js';
import { POD_SECURITY_RULES } from '../../../../constructs/policy/rules/pod-security.js';
import {
  addContainer, asCronJob, asPod, check, compliantDeployment, findingsOf, mainContainer, podOf,
} from './_fixtures.js';

const POD = 'spec.template.spec';
const CRON_POD = 'spec.jobTemplate.spec.template.spec';

describe('pod security restricted and kit rules', () => {
  for (const rule of [...POD_SECURITY_RESTRICTED_RULES, ...POD_SECURITY_KIT_RULES]) {
    it(`${rule.id}: passes the compliant Deployment, its Pod and its CronJob`, () => {
      const deployment = compliantDeployment();
      assert.deepEqual(check(rule, deployment), []);
      assert.deepEqual(check(rule, asPod(deployment)), []);
      assert.deepEqual(check(rule, asCronJob(deployment)), []);
    });

    it(`${rule.id}: ignores objects without a pod spec`, () => {
      assert.deepEqual(check(rule, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} }), []);
    });
  }

  it('are errors, except kit-service-account-token, which is a warning', () => {
    for (const rule of POD_SECURITY_RULES) {
      assert.equal(rule.severity, rule.id === 'kit-service-account-token' ? Severity.WARNING : Severity.ERROR, rule.id);
    }
  });
});

describe('POD_SECURITY_RULES', () => {
  it('holds every control of the standard and the kit rules, once each', () => {
    assert.deepEqual(POD_SECURITY_RULES.map((rule) => rule.id), [
      'pss-host-process', 'pss-host-namespaces', 'pss-privileged', 'pss-capabilities-baseline', 'pss-host-path-volumes',
      'pss-host-ports', 'pss-host-probes', 'pss-apparmor', 'pss-selinux', 'pss-proc-mount', 'pss-sysctls',
      'pss-volume-types', 'pss-privilege-escalation', 'pss-run-as-non-root', 'pss-run-as-user', 'pss-seccomp',
      'pss-capabilities-restricted', 'kit-read-only-root-filesystem', 'kit-service-account-token',
    ]);
  });

  it('has lower-case, dash-separated ids of at most 50 characters and a description for each rule', () => {
    for (const rule of POD_SECURITY_RULES) {
      assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(rule.id.length <= 50, rule.id);
      assert.ok(rule.description.length > 0, rule.id);
    }
  });
});

describe('pss-volume-types', () => {
  it('allows the core volume sources, and a volume with no source (defaulted to emptyDir)', () => {
    const deployment = compliantDeployment();
    podOf(deployment).volumes!.push(
      { name: 'config', configMap: { name: 'api' } },
      { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
      { name: 'scratch' },
    );
    assert.deepEqual(check(PSS_VOLUME_TYPES, deployment), []);
  });

  it('fails for an nfs volume', () => {
    const deployment = compliantDeployment();
    podOf(deployment).volumes!.push({ name: 'shared', nfs: { server: 'nfs.example.com', path: '/export' } });
    const findings = check(PSS_VOLUME_TYPES, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-volume-types',
      path: `${POD}.volumes[1].nfs`,
      message: "Deployment/api: volume 'shared' uses volume source nfs",
    }]);
    assert.equal(findings[0]?.fix, "Replace volume 'shared' with a configMap, csi, downwardAPI, emptyDir, ephemeral, "
      + 'persistentVolumeClaim, projected, secret volume (storage such as nfs is reached through a persistentVolumeClaim).');
  });

  it('fails for hostPath volumes too, in a CronJob', () => {
    const deployment = compliantDeployment();
    podOf(deployment).volumes = [{ name: 'logs', hostPath: { path: '/var/log' } }];
    assert.deepEqual(findingsOf(PSS_VOLUME_TYPES, asCronJob(deployment)), [{
      ruleId: 'pss-volume-types',
      path: `${CRON_POD}.volumes[0].hostPath`,
      message: "CronJob/api: volume 'logs' uses volume source hostPath",
    }]);
  });
});

describe('pss-privilege-escalation', () => {
  it('fails if a container allows privilege escalation', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.allowPrivilegeEscalation = true;
    const findings = check(PSS_PRIVILEGE_ESCALATION, deployment);
    assert.deepEqual(findings, [{
      ruleId: 'pss-privilege-escalation',
      severity: Severity.ERROR,
      path: `${POD}.containers[0].securityContext.allowPrivilegeEscalation`,
      message: "Deployment/api: container 'main' has securityContext.allowPrivilegeEscalation=true",
      fix: "Set securityContext.allowPrivilegeEscalation: false on container 'main'.",
    }]);
  });

  it('fails if a container leaves allowPrivilegeEscalation unset', () => {
    const deployment = compliantDeployment();
    delete mainContainer(deployment).securityContext!.allowPrivilegeEscalation;
    assert.deepEqual(findingsOf(PSS_PRIVILEGE_ESCALATION, deployment), [{
      ruleId: 'pss-privilege-escalation',
      path: `${POD}.containers[0].securityContext.allowPrivilegeEscalation`,
      message: "Deployment/api: securityContext.allowPrivilegeEscalation is not set on container 'main'",
    }]);
  });

  it('fails for init and ephemeral containers without a securityContext, in a CronJob', () => {
    const deployment = compliantDeployment();
    delete addContainer(deployment, 'initContainers', 'migrate').securityContext;
    delete addContainer(deployment, 'ephemeralContainers', 'debug').securityContext;
    assert.deepEqual(findingsOf(PSS_PRIVILEGE_ESCALATION, asCronJob(deployment)), [
      {
        ruleId: 'pss-privilege-escalation',
        path: `${CRON_POD}.initContainers[0].securityContext.allowPrivilegeEscalation`,
        message: "CronJob/api: securityContext.allowPrivilegeEscalation is not set on init container 'migrate'",
      },
      {
        ruleId: 'pss-privilege-escalation',
        path: `${CRON_POD}.ephemeralContainers[0].securityContext.allowPrivilegeEscalation`,
        message: "CronJob/api: securityContext.allowPrivilegeEscalation is not set on ephemeral container 'debug'",
      },
    ]);
  });

  it('does not apply to Windows pods', () => {
    const deployment = compliantDeployment();
    podOf(deployment).os = { name: 'windows' };
    delete mainContainer(deployment).securityContext!.allowPrivilegeEscalation;
    assert.deepEqual(check(PSS_PRIVILEGE_ESCALATION, deployment), []);
  });
});

describe('pss-run-as-non-root', () => {
  it('lets containers inherit runAsNonRoot: true from the pod', () => {
    const deployment = compliantDeployment();
    delete mainContainer(deployment).securityContext!.runAsNonRoot;
    delete addContainer(deployment, 'initContainers', 'migrate').securityContext;
    assert.deepEqual(check(PSS_RUN_AS_NON_ROOT, deployment), []);
  });

  it('allows every container setting runAsNonRoot: true without the pod', () => {
    const deployment = compliantDeployment();
    delete podOf(deployment).securityContext!.runAsNonRoot;
    assert.deepEqual(check(PSS_RUN_AS_NON_ROOT, deployment), []);
  });

  it('fails if a container sets runAsNonRoot: false although the pod sets true', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.runAsNonRoot = false;
    const findings = check(PSS_RUN_AS_NON_ROOT, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-run-as-non-root',
      path: `${POD}.containers[0].securityContext.runAsNonRoot`,
      message: "Deployment/api: container 'main' has securityContext.runAsNonRoot=false",
    }]);
    assert.equal(findings[0]?.fix, "Set securityContext.runAsNonRoot: true on container 'main'.");
  });

  it('fails if neither the container nor the pod sets it', () => {
    const deployment = compliantDeployment();
    delete podOf(deployment).securityContext!.runAsNonRoot;
    delete mainContainer(deployment).securityContext!.runAsNonRoot;
    const findings = check(PSS_RUN_AS_NON_ROOT, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-run-as-non-root',
      path: `${POD}.containers[0].securityContext.runAsNonRoot`,
      message: "Deployment/api: securityContext.runAsNonRoot is not set on container 'main' nor on the pod",
    }]);
    assert.equal(findings[0]?.fix,
      "Set securityContext.runAsNonRoot: true on the pod (inherited by every container) or on container 'main'.");
  });

  it('fails for the pod setting false, even if every container sets true', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.runAsNonRoot = false;
    assert.deepEqual(findingsOf(PSS_RUN_AS_NON_ROOT, deployment), [{
      ruleId: 'pss-run-as-non-root',
      path: `${POD}.securityContext.runAsNonRoot`,
      message: 'Deployment/api: the pod has securityContext.runAsNonRoot=false',
    }]);
  });

  it('fails for the pod setting false and for each container that inherits it', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.runAsNonRoot = false;
    delete mainContainer(deployment).securityContext!.runAsNonRoot;
    assert.deepEqual(findingsOf(PSS_RUN_AS_NON_ROOT, deployment), [
      {
        ruleId: 'pss-run-as-non-root',
        path: `${POD}.securityContext.runAsNonRoot`,
        message: 'Deployment/api: the pod has securityContext.runAsNonRoot=false',
      },
      {
        ruleId: 'pss-run-as-non-root',
        path: `${POD}.containers[0].securityContext.runAsNonRoot`,
        message: "Deployment/api: securityContext.runAsNonRoot is not set on container 'main' "
          + 'and the pod has securityContext.runAsNonRoot=false',
      },
    ]);
  });

  it('fails for init and ephemeral containers of a CronJob when the pod does not set it', () => {
    const deployment = compliantDeployment();
    delete podOf(deployment).securityContext;
    delete addContainer(deployment, 'initContainers', 'migrate').securityContext!.runAsNonRoot;
    addContainer(deployment, 'ephemeralContainers', 'debug').securityContext!.runAsNonRoot = false;
    assert.deepEqual(findingsOf(PSS_RUN_AS_NON_ROOT, asCronJob(deployment)), [
      {
        ruleId: 'pss-run-as-non-root',
        path: `${CRON_POD}.initContainers[0].securityContext.runAsNonRoot`,
        message: "CronJob/api: securityContext.runAsNonRoot is not set on init container 'migrate' nor on the pod",
      },
      {
        ruleId: 'pss-run-as-non-root',
        path: `${CRON_POD}.ephemeralContainers[0].securityContext.runAsNonRoot`,
        message: "CronJob/api: ephemeral container 'debug' has securityContext.runAsNonRoot=false",
      },
    ]);
  });
});

describe('pss-run-as-user', () => {
  it('allows non-zero and unset runAsUser', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.runAsUser = 1000;
    delete mainContainer(deployment).securityContext!.runAsUser;
    assert.deepEqual(check(PSS_RUN_AS_USER, deployment), []);
  });

  it('fails for runAsUser: 0 on the pod', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.runAsUser = 0;
    const findings = check(PSS_RUN_AS_USER, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-run-as-user',
      path: `${POD}.securityContext.runAsUser`,
      message: 'Deployment/api: the pod has securityContext.runAsUser=0',
    }]);
    assert.equal(findings[0]?.fix,
      "Set securityContext.runAsUser to a non-zero UID on the pod (or remove it and rely on the image's non-root user).");
  });

  it('fails for runAsUser: 0 on init and ephemeral containers of a CronJob', () => {
    const deployment = compliantDeployment();
    addContainer(deployment, 'initContainers', 'migrate').securityContext!.runAsUser = 0;
    addContainer(deployment, 'ephemeralContainers', 'debug').securityContext!.runAsUser = 0;
    assert.deepEqual(findingsOf(PSS_RUN_AS_USER, asCronJob(deployment)), [
      {
        ruleId: 'pss-run-as-user',
        path: `${CRON_POD}.initContainers[0].securityContext.runAsUser`,
        message: "CronJob/api: init container 'migrate' has securityContext.runAsUser=0",
      },
      {
        ruleId: 'pss-run-as-user',
        path: `${CRON_POD}.ephemeralContainers[0].securityContext.runAsUser`,
        message: "CronJob/api: ephemeral container 'debug' has securityContext.runAsUser=0",
      },
    ]);
  });
});

describe('pss-seccomp', () => {
  it('lets containers inherit an allowed profile from the pod', () => {
    const deployment = compliantDeployment();
    delete mainContainer(deployment).securityContext!.seccompProfile;
    addContainer(deployment, 'ephemeralContainers', 'debug');
    assert.deepEqual(check(PSS_SECCOMP, deployment), []);
  });

  it('allows every container setting a Localhost profile without the pod', () => {
    const deployment = compliantDeployment();
    delete podOf(deployment).securityContext!.seccompProfile;
    mainContainer(deployment).securityContext!.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/api.json' };
    assert.deepEqual(check(PSS_SECCOMP, deployment), []);
  });

  it('fails if neither the container nor the pod sets a profile', () => {
    const deployment = compliantDeployment();
    delete podOf(deployment).securityContext!.seccompProfile;
    delete mainContainer(deployment).securityContext!.seccompProfile;
    const findings = check(PSS_SECCOMP, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-seccomp',
      path: `${POD}.containers[0].securityContext.seccompProfile.type`,
      message: "Deployment/api: securityContext.seccompProfile.type is not set on container 'main' nor on the pod",
    }]);
    assert.equal(findings[0]?.fix, 'Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod '
      + "(inherited by every container) or on container 'main'.");
  });

  it('fails for a container set to Unconfined although the pod sets RuntimeDefault', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.seccompProfile = { type: 'Unconfined' };
    const findings = check(PSS_SECCOMP, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-seccomp',
      path: `${POD}.containers[0].securityContext.seccompProfile.type`,
      message: 'Deployment/api: container \'main\' has securityContext.seccompProfile.type="Unconfined"',
    }]);
    assert.equal(findings[0]?.fix, "Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on container 'main'.");
  });

  it('fails for the pod set to Unconfined, even if every container sets RuntimeDefault', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.seccompProfile = { type: 'Unconfined' };
    assert.deepEqual(findingsOf(PSS_SECCOMP, deployment), [{
      ruleId: 'pss-seccomp',
      path: `${POD}.securityContext.seccompProfile.type`,
      message: 'Deployment/api: the pod has securityContext.seccompProfile.type="Unconfined"',
    }]);
  });

  it('fails for init and ephemeral containers of a CronJob without a profile', () => {
    const deployment = compliantDeployment();
    delete podOf(deployment).securityContext!.seccompProfile;
    delete addContainer(deployment, 'initContainers', 'migrate').securityContext!.seccompProfile;
    delete addContainer(deployment, 'ephemeralContainers', 'debug').securityContext!.seccompProfile;
    assert.deepEqual(findingsOf(PSS_SECCOMP, asCronJob(deployment)).map((f) => f.path), [
      `${CRON_POD}.initContainers[0].securityContext.seccompProfile.type`,
      `${CRON_POD}.ephemeralContainers[0].securityContext.seccompProfile.type`,
    ]);
  });

  it('requires no profile on Windows pods, but still forbids Unconfined', () => {
    const deployment = compliantDeployment();
    podOf(deployment).os = { name: 'windows' };
    delete podOf(deployment).securityContext!.seccompProfile;
    delete mainContainer(deployment).securityContext!.seccompProfile;
    assert.deepEqual(check(PSS_SECCOMP, deployment), []);
    mainContainer(deployment).securityContext!.seccompProfile = { type: 'Unconfined' };
    assert.deepEqual(findingsOf(PSS_SECCOMP, deployment).map((f) => f.path), [`${POD}.containers[0].securityContext.seccompProfile.type`]);
  });
});

describe('pss-capabilities-restricted', () => {
  it('allows dropping ALL and adding NET_BIND_SERVICE', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.capabilities = { drop: ['NET_RAW', 'ALL'], add: ['NET_BIND_SERVICE'] };
    assert.deepEqual(check(PSS_CAPABILITIES_RESTRICTED, deployment), []);
  });

  it('fails if a container does not drop capabilities', () => {
    const deployment = compliantDeployment();
    delete mainContainer(deployment).securityContext!.capabilities;
    const findings = check(PSS_CAPABILITIES_RESTRICTED, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-capabilities-restricted',
      path: `${POD}.containers[0].securityContext.capabilities.drop`,
      message: "Deployment/api: securityContext.capabilities.drop is not set on container 'main'",
    }]);
    assert.equal(findings[0]?.fix, 'Set securityContext.capabilities.drop: ["ALL"] on container \'main\'.');
  });

  it('fails if a container drops less than ALL or adds more than NET_BIND_SERVICE', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.capabilities = { drop: ['NET_RAW'], add: ['NET_BIND_SERVICE', 'CHOWN'] };
    assert.deepEqual(findingsOf(PSS_CAPABILITIES_RESTRICTED, deployment), [
      {
        ruleId: 'pss-capabilities-restricted',
        path: `${POD}.containers[0].securityContext.capabilities.drop`,
        message: 'Deployment/api: container \'main\' has securityContext.capabilities.drop=["NET_RAW"]',
      },
      {
        ruleId: 'pss-capabilities-restricted',
        path: `${POD}.containers[0].securityContext.capabilities.add[1]`,
        message: 'Deployment/api: container \'main\' has securityContext.capabilities.add[1]="CHOWN"',
      },
    ]);
  });

  it('fails for init and ephemeral containers of a CronJob', () => {
    const deployment = compliantDeployment();
    delete addContainer(deployment, 'initContainers', 'migrate').securityContext;
    addContainer(deployment, 'ephemeralContainers', 'debug').securityContext!.capabilities = { drop: ['ALL'], add: ['SYS_PTRACE'] };
    assert.deepEqual(findingsOf(PSS_CAPABILITIES_RESTRICTED, asCronJob(deployment)).map((f) => f.path), [
      `${CRON_POD}.initContainers[0].securityContext.capabilities.drop`,
      `${CRON_POD}.ephemeralContainers[0].securityContext.capabilities.add[0]`,
    ]);
  });

  it('does not apply to Windows pods', () => {
    const deployment = compliantDeployment();
    podOf(deployment).os = { name: 'windows' };
    delete mainContainer(deployment).securityContext!.capabilities;
    assert.deepEqual(check(PSS_CAPABILITIES_RESTRICTED, deployment), []);
  });
});

describe('kit-read-only-root-filesystem', () => {
  it('fails if a container has a writable root filesystem', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.readOnlyRootFilesystem = false;
    assert.deepEqual(check(KIT_READ_ONLY_ROOT_FILESYSTEM, deployment), [{
      ruleId: 'kit-read-only-root-filesystem',
      severity: Severity.ERROR,
      path: `${POD}.containers[0].securityContext.readOnlyRootFilesystem`,
      message: "Deployment/api: container 'main' has securityContext.readOnlyRootFilesystem=false",
      fix: "Set securityContext.readOnlyRootFilesystem: true on container 'main'; mount an emptyDir where it must write.",
    }]);
  });

  it('fails for init and ephemeral containers of a CronJob that leave it unset', () => {
    const deployment = compliantDeployment();
    delete addContainer(deployment, 'initContainers', 'migrate').securityContext!.readOnlyRootFilesystem;
    delete addContainer(deployment, 'ephemeralContainers', 'debug').securityContext;
    assert.deepEqual(findingsOf(KIT_READ_ONLY_ROOT_FILESYSTEM, asCronJob(deployment)), [
      {
        ruleId: 'kit-read-only-root-filesystem',
        path: `${CRON_POD}.initContainers[0].securityContext.readOnlyRootFilesystem`,
        message: "CronJob/api: securityContext.readOnlyRootFilesystem is not set on init container 'migrate'",
      },
      {
        ruleId: 'kit-read-only-root-filesystem',
        path: `${CRON_POD}.ephemeralContainers[0].securityContext.readOnlyRootFilesystem`,
        message: "CronJob/api: securityContext.readOnlyRootFilesystem is not set on ephemeral container 'debug'",
      },
    ]);
  });

  it('does not apply to Windows pods (the API forbids the field there)', () => {
    const deployment = compliantDeployment();
    podOf(deployment).os = { name: 'windows' };
    delete mainContainer(deployment).securityContext!.readOnlyRootFilesystem;
    assert.deepEqual(check(KIT_READ_ONLY_ROOT_FILESYSTEM, deployment), []);
  });
});

describe('kit-service-account-token', () => {
  it('warns if the pod spec does not set automountServiceAccountToken', () => {
    const deployment = compliantDeployment();
    delete podOf(deployment).automountServiceAccountToken;
    assert.deepEqual(check(KIT_SERVICE_ACCOUNT_TOKEN, deployment), [{
      ruleId: 'kit-service-account-token',
      severity: Severity.WARNING,
      path: `${POD}.automountServiceAccountToken`,
      message: 'Deployment/api: automountServiceAccountToken is not set on the pod',
      fix: 'Set automountServiceAccountToken: false on the pod spec; if the workload calls the Kubernetes API, '
        + 'add the annotation exceptions.k8s-platform-kit.dev/kit-service-account-token with the reason instead.',
    }]);
  });

  it('warns if a CronJob pod sets automountServiceAccountToken: true', () => {
    const deployment = compliantDeployment();
    podOf(deployment).automountServiceAccountToken = true;
    assert.deepEqual(findingsOf(KIT_SERVICE_ACCOUNT_TOKEN, asCronJob(deployment)), [{
      ruleId: 'kit-service-account-token',
      path: `${CRON_POD}.automountServiceAccountToken`,
      message: 'CronJob/api: the pod has automountServiceAccountToken=true',
    }]);
  });
});
