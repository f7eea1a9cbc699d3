import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Probe } from '../../../constructs/index.js';

describe('Probe', () => {
  it('httpGet renders an HTTP probe on the given port', () => {
    assert.deepEqual(Probe.httpGet('/healthz').toKube(8080), { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' } });
    assert.deepEqual(Probe.httpGet('/healthz', { scheme: 'HTTPS' }).toKube('https'), { httpGet: { path: '/healthz', port: 'https', scheme: 'HTTPS' } });
  });

  it('tcpSocket renders a TCP probe on the given port', () => {
    assert.deepEqual(Probe.tcpSocket().toKube(5432), { tcpSocket: { port: 5432 } });
    assert.deepEqual(Probe.tcpSocket().toKube('postgres'), { tcpSocket: { port: 'postgres' } });
  });

  it('exec renders the command and ignores the port', () => {
    assert.deepEqual(Probe.exec(['cat', '/tmp/healthy']).toKube(undefined), { exec: { command: ['cat', '/tmp/healthy'] } });
  });

  it('exec copies the command', () => {
    const command = ['true'];
    const probe = Probe.exec(command);
    command.push('extra');
    assert.deepEqual(probe.toKube(undefined), { exec: { command: ['true'] } });
  });

  it('grpc renders a numeric port and the service', () => {
    assert.deepEqual(Probe.grpc().toKube(50051), { grpc: { port: 50051 } });
    assert.deepEqual(Probe.grpc({ service: 'todo.v1.TodoService' }).toKube(50051), { grpc: { port: 50051, service: 'todo.v1.TodoService' } });
  });

  it('renders only the timing fields that are set', () => {
    const probe = Probe.httpGet('/ready', { port: 8080, periodSeconds: 5, failureThreshold: 2 });
    assert.deepEqual(probe.timing, { periodSeconds: 5, failureThreshold: 2 });
    assert.deepEqual(probe.toKube(8080), { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 2 });
  });

  it('renders every timing field', () => {
    const timing = { initialDelaySeconds: 1, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 4, successThreshold: 1 };
    assert.deepEqual(Probe.exec(['true'], timing).toKube(undefined), { exec: { command: ['true'] }, ...timing });
    assert.deepEqual(Probe.tcpSocket(timing).toKube(80), { tcpSocket: { port: 80 }, ...timing });
    assert.deepEqual(Probe.grpc(timing).toKube(80), { grpc: { port: 80 }, ...timing });
  });

  it('waived renders nothing and keeps the reason', () => {
    const probe = Probe.waived('a queue consumer with no endpoint');
    assert.equal(probe.toKube(8080), undefined);
    assert.equal(probe.isWaived, true);
    assert.equal(probe.waiverReason, 'a queue consumer with no endpoint');
    assert.equal(probe.usesPort, false);
    assert.equal(probe.kind, 'waived');
  });

  it('reports its kind', () => {
    assert.deepEqual([Probe.httpGet('/').kind, Probe.tcpSocket().kind, Probe.exec(['true']).kind, Probe.grpc().kind],
      ['httpGet', 'tcpSocket', 'exec', 'grpc']);
  });

  it('reports whether it uses a port', () => {
    assert.deepEqual([Probe.httpGet('/').usesPort, Probe.tcpSocket().usesPort, Probe.exec(['true']).usesPort, Probe.grpc().usesPort],
      [true, true, false, true]);
  });

  it('keeps the port as given', () => {
    assert.equal(Probe.httpGet('/', { port: 'http' }).port, 'http');
    assert.equal(Probe.tcpSocket({ port: 5432 }).port, 5432);
    assert.equal(Probe.grpc({ port: 50051 }).port, 50051);
    assert.equal(Probe.httpGet('/').port, undefined);
    assert.equal(Probe.exec(['true']).port, undefined);
  });

  it('is not waived unless built by waived()', () => {
    for (const probe of [Probe.httpGet('/'), Probe.tcpSocket(), Probe.exec(['true']), Probe.grpc()]) {
      assert.equal(probe.isWaived, false, probe.kind);
      assert.equal(probe.waiverReason, undefined, probe.kind);
    }
  });

  it('an empty waiver reason still counts as a waiver', () => {
    assert.equal(Probe.waived('').isWaived, true);
  });
});
