/** validateRender: rendered objects bound to the report of exactly those objects. */
import { ApiObject, App, Chart } from 'cdk8s';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PolicyViolationError } from '../../../constructs/index.js';
import { renderApp, renderedObjects, validateRender, ValidatedRender } from '../../../constructs/gitops/index.js';

/** An App with one ConfigMap. */
function configApp(): App {
  const root = new App();
  new ApiObject(new Chart(root, 'web'), 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'web' }, data: { a: '1' } });
  return root;
}

/** An App with a Pod in the host's network namespace (a policy error). */
function hostNetworkApp(): App {
  const root = new App();
  new ApiObject(new Chart(root, 'debug'), 'Pod', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'debug', namespace: 'default' },
    spec: { hostNetwork: true, containers: [{ name: 'shell', image: 'busybox:1.37.0' }] },
  });
  return root;
}

describe('validateRender', () => {
  it('returns the objects it validated, the same ones, with their report', async () => {
    const rendered = renderedObjects(renderApp(configApp()));
    const render = await validateRender(rendered);
    assert.ok(render instanceof ValidatedRender);
    assert.equal(render.objects.length, 1);
    assert.equal(render.objects[0], rendered[0]?.object);
    assert.equal(render.report.objectCount, 1);
    assert.ok(Object.isFrozen(render.objects), 'the list cannot be changed after validation');
  });

  it('throws PolicyViolationError, with the report, on an unwaived error', async () => {
    await assert.rejects(validateRender(renderedObjects(renderApp(hostNetworkApp()))), (error: unknown) => {
      assert.ok(error instanceof PolicyViolationError);
      assert.match(error.report.format(), /pss-host-namespaces/);
      return true;
    });
  });

  it('is the only maker: an object shaped like one is not a ValidatedRender', async () => {
    const { objects, report } = await validateRender([]);
    assert.equal(ValidatedRender.isValidatedRender({ objects, report }), false);
    assert.equal(ValidatedRender.isValidatedRender(Object.create(ValidatedRender.prototype)), false);
    assert.equal(ValidatedRender.isValidatedRender(await validateRender([])), true);
  });
});
