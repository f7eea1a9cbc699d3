import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Severity } from '../../../../constructs/policy/finding.js';
import {
  POD_SECURITY_BASELINE_RULES, PSS_APPARMOR, PSS_CAPABILITIES_BASELINE, PSS_HOST_NAMESPACES, PSS_HOST_PATH_VOLUMES,
  PSS_HOST_PORTS, PSS_HOST_PROBES, PSS_HOST_PROCESS, PSS_PRIVILEGED, PSS_PROC_MOUNT, PSS_SELINUX, PSS_SYSCTLS,
} from '../../../../constructs/policy/rules/pod-security-baseline.js';
import {
  addContainer, asCronJob, asPod, check, compliantDeployment, findingsOf, mainContainer, podOf,
} from './_fixtures.js';

const POD = 'spec.template.spec';
const CRON_POD = 'spec.jobTemplate.spec.template.spec';

describe('pod security baseline rules', () => {
  for (const rule of POD_SECURITY_BASELINE_RULES) {
    it(`${rule.id}: passes the compliant Deployment, its Pod and its CronJob`, () => {
      const deployment = compliantDeployment();
      assert.deepEqual(check(rule, deployment), []);
      assert.deepEqual(check(rule, asPod(deployment)), []);
      assert.deepEqual(check(rule, asCronJob(deployment)), []);
    });

    it(`${rule.id}: ignores objects without a pod spec`, () => {
      assert.deepEqual(check(rule, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} }), []);
      assert.deepEqual(check(rule, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'empty' } }), []);
    });

    it(`${rule.id}: is an error`, () => {
      assert.equal(rule.severity, Severity.ERROR);
    });
  }
});

describe('pss-host-process', () => {
  it('allows hostProcess: false', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.windowsOptions = { hostProcess: false };
    mainContainer(deployment).securityContext!.windowsOptions = { hostProcess: false };
    assert.deepEqual(check(PSS_HOST_PROCESS, deployment), []);
  });

  it('fails if the pod sets hostProcess: true', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.windowsOptions = { hostProcess: true };
    const findings = check(PSS_HOST_PROCESS, deployment);
    assert.deepEqual(findings, [{
      ruleId: 'pss-host-process',
      severity: Severity.ERROR,
      path: `${POD}.securityContext.windowsOptions.hostProcess`,
      message: 'Deployment/api: the pod has securityContext.windowsOptions.hostProcess=true',
      fix: 'Remove securityContext.windowsOptions.hostProcess from the pod (or set it to false).',
    }]);
  });

  it('fails if an ephemeral container of a CronJob sets hostProcess: true', () => {
    const deployment = compliantDeployment();
    addContainer(deployment, 'ephemeralContainers', 'debug').securityContext!.windowsOptions = { hostProcess: true };
    assert.deepEqual(findingsOf(PSS_HOST_PROCESS, asCronJob(deployment)), [{
      ruleId: 'pss-host-process',
      path: `${CRON_POD}.ephemeralContainers[0].securityContext.windowsOptions.hostProcess`,
      message: "CronJob/api: ephemeral container 'debug' has securityContext.windowsOptions.hostProcess=true",
    }]);
  });
});

describe('pss-host-namespaces', () => {
  it('allows host namespaces set to false', () => {
    const deployment = compliantDeployment();
    Object.assign(podOf(deployment), { hostNetwork: false, hostPID: false, hostIPC: false });
    assert.deepEqual(check(PSS_HOST_NAMESPACES, deployment), []);
  });

  it('fails once per shared host namespace', () => {
    const deployment = compliantDeployment();
    deployment.metadata.namespace = 'shop';
    Object.assign(podOf(deployment), { hostNetwork: true, hostPID: false, hostIPC: true });
    const findings = check(PSS_HOST_NAMESPACES, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [
      { ruleId: 'pss-host-namespaces', path: `${POD}.hostNetwork`, message: 'Deployment/shop/api: the pod has hostNetwork=true' },
      { ruleId: 'pss-host-namespaces', path: `${POD}.hostIPC`, message: 'Deployment/shop/api: the pod has hostIPC=true' },
    ]);
    assert.equal(findings[0]?.fix, 'Remove hostNetwork from the pod spec (or set hostNetwork: false).');
  });
});

describe('pss-privileged', () => {
  it('allows privileged: false', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.privileged = false;
    assert.deepEqual(check(PSS_PRIVILEGED, deployment), []);
  });

  it('fails if a container is privileged', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.privileged = true;
    const findings = check(PSS_PRIVILEGED, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-privileged',
      path: `${POD}.containers[0].securityContext.privileged`,
      message: "Deployment/api: container 'main' has securityContext.privileged=true",
    }]);
    assert.equal(findings[0]?.fix, "Remove securityContext.privileged from container 'main' (or set it to false).");
  });

  it('fails if an init container of a CronJob is privileged', () => {
    const deployment = compliantDeployment();
    addContainer(deployment, 'initContainers', 'migrate').securityContext!.privileged = true;
    assert.deepEqual(findingsOf(PSS_PRIVILEGED, asCronJob(deployment)), [{
      ruleId: 'pss-privileged',
      path: `${CRON_POD}.initContainers[0].securityContext.privileged`,
      message: "CronJob/api: init container 'migrate' has securityContext.privileged=true",
    }]);
  });

  it('fails if an ephemeral container is privileged', () => {
    const deployment = compliantDeployment();
    addContainer(deployment, 'ephemeralContainers', 'debug').securityContext!.privileged = true;
    assert.deepEqual(findingsOf(PSS_PRIVILEGED, deployment), [{
      ruleId: 'pss-privileged',
      path: `${POD}.ephemeralContainers[0].securityContext.privileged`,
      message: "Deployment/api: ephemeral container 'debug' has securityContext.privileged=true",
    }]);
  });
});

describe('pss-capabilities-baseline', () => {
  it('allows adding default capabilities', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.capabilities = { drop: ['ALL'], add: ['CHOWN', 'NET_BIND_SERVICE', 'SETUID'] };
    assert.deepEqual(check(PSS_CAPABILITIES_BASELINE, deployment), []);
  });

  it('fails for each capability beyond the default set', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.capabilities = { add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] };
    const findings = check(PSS_CAPABILITIES_BASELINE, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-capabilities-baseline',
      path: `${POD}.containers[0].securityContext.capabilities.add[1]`,
      message: 'Deployment/api: container \'main\' has securityContext.capabilities.add[1]="SYS_ADMIN"',
    }]);
    assert.equal(findings[0]?.fix, "Remove SYS_ADMIN from securityContext.capabilities.add on container 'main'; "
      + 'the baseline profile allows adding only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, '
      + 'NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT.');
  });

  it('fails for init and ephemeral containers of a CronJob', () => {
    const deployment = compliantDeployment();
    addContainer(deployment, 'initContainers', 'migrate').securityContext!.capabilities = { add: ['NET_RAW'] };
    addContainer(deployment, 'ephemeralContainers', 'debug').securityContext!.capabilities = { add: ['SYS_PTRACE'] };
    assert.deepEqual(findingsOf(PSS_CAPABILITIES_BASELINE, asCronJob(deployment)), [
      {
        ruleId: 'pss-capabilities-baseline',
        path: `${CRON_POD}.initContainers[0].securityContext.capabilities.add[0]`,
        message: 'CronJob/api: init container \'migrate\' has securityContext.capabilities.add[0]="NET_RAW"',
      },
      {
        ruleId: 'pss-capabilities-baseline',
        path: `${CRON_POD}.ephemeralContainers[0].securityContext.capabilities.add[0]`,
        message: 'CronJob/api: ephemeral container \'debug\' has securityContext.capabilities.add[0]="SYS_PTRACE"',
      },
    ]);
  });
});

describe('pss-host-path-volumes', () => {
  it('allows other volume types', () => {
    const deployment = compliantDeployment();
    podOf(deployment).volumes!.push({ name: 'config', configMap: { name: 'api' } });
    assert.deepEqual(check(PSS_HOST_PATH_VOLUMES, deployment), []);
  });

  it('fails for a hostPath volume', () => {
    const deployment = compliantDeployment();
    podOf(deployment).volumes!.push({ name: 'logs', hostPath: { path: '/var/log' } });
    const findings = check(PSS_HOST_PATH_VOLUMES, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-host-path-volumes',
      path: `${POD}.volumes[1].hostPath`,
      message: 'Deployment/api: volume \'logs\' has hostPath={"path":"/var/log"}',
    }]);
    assert.equal(findings[0]?.fix,
      "Replace hostPath volume 'logs' with an emptyDir, configMap, secret, projected or persistentVolumeClaim volume.");
  });
});

describe('pss-host-ports', () => {
  it('allows hostPort 0', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).ports = [{ containerPort: 8080, hostPort: 0 }];
    assert.deepEqual(check(PSS_HOST_PORTS, deployment), []);
  });

  it('fails for a host port', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).ports = [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }];
    const findings = check(PSS_HOST_PORTS, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-host-ports',
      path: `${POD}.containers[0].ports[1].hostPort`,
      message: "Deployment/api: container 'main' has ports[1].hostPort=9090",
    }]);
    assert.equal(findings[0]?.fix, "Remove hostPort from port 9090 of container 'main'; reach the pod through a Service instead.");
  });

  it('fails for host ports of init and ephemeral containers of a CronJob', () => {
    const deployment = compliantDeployment();
    addContainer(deployment, 'initContainers', 'migrate').ports = [{ containerPort: 5432, hostPort: 5432 }];
    addContainer(deployment, 'ephemeralContainers', 'debug').ports = [{ containerPort: 2345, hostPort: 2345 }];
    assert.deepEqual(findingsOf(PSS_HOST_PORTS, asCronJob(deployment)).map((f) => f.path), [
      `${CRON_POD}.initContainers[0].ports[0].hostPort`,
      `${CRON_POD}.ephemeralContainers[0].ports[0].hostPort`,
    ]);
  });
});

describe('pss-host-probes', () => {
  it('allows probes and hooks without a host, or with an empty one', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).readinessProbe = { tcpSocket: { port: 8080, host: '' } };
    mainContainer(deployment).lifecycle = { preStop: { httpGet: { path: '/drain', port: 8080 } } };
    assert.deepEqual(check(PSS_HOST_PROBES, deployment), []);
  });

  it('fails for a probe with a host', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).livenessProbe = { httpGet: { path: '/healthz', port: 8080, host: '169.254.169.254' } };
    const findings = check(PSS_HOST_PROBES, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-host-probes',
      path: `${POD}.containers[0].livenessProbe.httpGet.host`,
      message: 'Deployment/api: container \'main\' has livenessProbe.httpGet.host="169.254.169.254"',
    }]);
    assert.equal(findings[0]?.fix,
      "Remove host from livenessProbe.httpGet on container 'main'; probes and hooks must target the pod's own IP.");
  });

  it('fails for a lifecycle hook with a host on an init container of a CronJob', () => {
    const deployment = compliantDeployment();
    addContainer(deployment, 'initContainers', 'warm').lifecycle = { postStart: { tcpSocket: { port: 80, host: 'node.local' } } };
    assert.deepEqual(findingsOf(PSS_HOST_PROBES, asCronJob(deployment)), [{
      ruleId: 'pss-host-probes',
      path: `${CRON_POD}.initContainers[0].lifecycle.postStart.tcpSocket.host`,
      message: 'CronJob/api: init container \'warm\' has lifecycle.postStart.tcpSocket.host="node.local"',
    }]);
  });
});

describe('pss-apparmor', () => {
  it('allows RuntimeDefault, Localhost and the allowed annotation values', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.appArmorProfile = { type: 'RuntimeDefault' };
    mainContainer(deployment).securityContext!.appArmorProfile = { type: 'Localhost', localhostProfile: 'api' };
    deployment.spec.template.metadata.annotations = {
      'container.apparmor.security.beta.kubernetes.io/main': 'localhost/api',
      'container.apparmor.security.beta.kubernetes.io/sidecar': 'runtime/default',
    };
    assert.deepEqual(check(PSS_APPARMOR, deployment), []);
  });

  it('fails for an Unconfined profile on a container', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.appArmorProfile = { type: 'Unconfined' };
    const findings = check(PSS_APPARMOR, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-apparmor',
      path: `${POD}.containers[0].securityContext.appArmorProfile.type`,
      message: 'Deployment/api: container \'main\' has securityContext.appArmorProfile.type="Unconfined"',
    }]);
    assert.equal(findings[0]?.fix, "Set securityContext.appArmorProfile.type: RuntimeDefault (or Localhost) on container 'main'.");
  });

  it('fails for an Unconfined profile on the pod and on an ephemeral container', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.appArmorProfile = { type: 'Unconfined' };
    addContainer(deployment, 'ephemeralContainers', 'debug').securityContext!.appArmorProfile = { type: 'Unconfined' };
    assert.deepEqual(findingsOf(PSS_APPARMOR, deployment).map((f) => f.path), [
      `${POD}.securityContext.appArmorProfile.type`,
      `${POD}.ephemeralContainers[0].securityContext.appArmorProfile.type`,
    ]);
  });

  it('fails for the legacy annotation set to unconfined on the pod template', () => {
    const deployment = compliantDeployment();
    deployment.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' };
    assert.deepEqual(findingsOf(PSS_APPARMOR, deployment), [{
      ruleId: 'pss-apparmor',
      path: 'spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes.io/main',
      message: 'Deployment/api: the pod has annotation container.apparmor.security.beta.kubernetes.io/main="unconfined"',
    }]);
  });

  it('fails for the legacy annotation on a bare Pod and a CronJob', () => {
    const deployment = compliantDeployment();
    deployment.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' };
    assert.deepEqual(findingsOf(PSS_APPARMOR, asPod(deployment)).map((f) => f.path),
      ['metadata.annotations.container.apparmor.security.beta.kubernetes.io/main']);
    assert.deepEqual(findingsOf(PSS_APPARMOR, asCronJob(deployment)).map((f) => f.path),
      ['spec.jobTemplate.spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes.io/main']);
  });
});

describe('pss-selinux', () => {
  it('allows container types and a level', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.seLinuxOptions = { level: 's0:c123,c456' };
    mainContainer(deployment).securityContext!.seLinuxOptions = { type: 'container_engine_t', user: '', role: '' };
    assert.deepEqual(check(PSS_SELINUX, deployment), []);
  });

  it('fails for a custom type on the pod', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.seLinuxOptions = { type: 'spc_t' };
    const findings = check(PSS_SELINUX, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-selinux',
      path: `${POD}.securityContext.seLinuxOptions.type`,
      message: 'Deployment/api: the pod has securityContext.seLinuxOptions.type="spc_t"',
    }]);
    assert.equal(findings[0]?.fix, 'Set securityContext.seLinuxOptions.type to one of container_t, container_init_t, '
      + 'container_kvm_t, container_engine_t on the pod, or remove it.');
  });

  it('fails for a user and a role on an init container of a CronJob', () => {
    const deployment = compliantDeployment();
    addContainer(deployment, 'initContainers', 'migrate').securityContext!.seLinuxOptions = { user: 'system_u', role: 'system_r' };
    assert.deepEqual(findingsOf(PSS_SELINUX, asCronJob(deployment)), [
      {
        ruleId: 'pss-selinux',
        path: `${CRON_POD}.initContainers[0].securityContext.seLinuxOptions.user`,
        message: 'CronJob/api: init container \'migrate\' has securityContext.seLinuxOptions.user="system_u"',
      },
      {
        ruleId: 'pss-selinux',
        path: `${CRON_POD}.initContainers[0].securityContext.seLinuxOptions.role`,
        message: 'CronJob/api: init container \'migrate\' has securityContext.seLinuxOptions.role="system_r"',
      },
    ]);
  });
});

describe('pss-proc-mount', () => {
  it('allows procMount: Default', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.procMount = 'Default';
    assert.deepEqual(check(PSS_PROC_MOUNT, deployment), []);
  });

  it('fails for procMount: Unmasked', () => {
    const deployment = compliantDeployment();
    mainContainer(deployment).securityContext!.procMount = 'Unmasked';
    const findings = check(PSS_PROC_MOUNT, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-proc-mount',
      path: `${POD}.containers[0].securityContext.procMount`,
      message: 'Deployment/api: container \'main\' has securityContext.procMount="Unmasked"',
    }]);
    assert.equal(findings[0]?.fix, "Remove securityContext.procMount from container 'main' (or set it to Default).");
  });

  it('fails for init and ephemeral containers of a CronJob', () => {
    const deployment = compliantDeployment();
    addContainer(deployment, 'initContainers', 'migrate').securityContext!.procMount = 'Unmasked';
    addContainer(deployment, 'ephemeralContainers', 'debug').securityContext!.procMount = 'Unmasked';
    assert.deepEqual(findingsOf(PSS_PROC_MOUNT, asCronJob(deployment)).map((f) => f.message), [
      'CronJob/api: init container \'migrate\' has securityContext.procMount="Unmasked"',
      'CronJob/api: ephemeral container \'debug\' has securityContext.procMount="Unmasked"',
    ]);
  });
});

describe('pss-sysctls', () => {
  it('allows the safe sysctls', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.sysctls = [
      { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
      { name: 'net.ipv4.tcp_keepalive_time', value: '600' },
    ];
    assert.deepEqual(check(PSS_SYSCTLS, deployment), []);
  });

  it('fails for an unsafe sysctl', () => {
    const deployment = compliantDeployment();
    podOf(deployment).securityContext!.sysctls = [
      { name: 'net.ipv4.tcp_syncookies', value: '1' },
      { name: 'kernel.msgmax', value: '65536' },
    ];
    const findings = check(PSS_SYSCTLS, deployment);
    assert.deepEqual(findings.map(({ ruleId, path, message }) => ({ ruleId, path, message })), [{
      ruleId: 'pss-sysctls',
      path: `${POD}.securityContext.sysctls[1].name`,
      message: 'Deployment/api: the pod has securityContext.sysctls[1].name="kernel.msgmax"',
    }]);
    assert.match(findings[0]?.fix ?? '', /^Remove sysctl kernel\.msgmax from the pod's securityContext\.sysctls; only kernel\.shm_rmid_forced, /);
  });
});
