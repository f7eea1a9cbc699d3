/**
 * The precompiled CRD validators (constructs/imports/crd-validators.js): current with the
 * pinned schemas and the compile options, and answering exactly as the schema compiled
 * the straightforward way (closed, nothing shared) on every custom resource the
 * environments synthesize and on broken copies of them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ValidateFunction } from 'ajv';
import { checkSchema, collectObjects } from '../../../constructs/index.js';
import { CRD_SCHEMAS } from '../../../constructs/imports/crd-schemas.js';
import { CRD_VALIDATORS } from '../../../constructs/imports/crd-validators.js';
import { CRD_VALIDATORS_DECLARATIONS, closed, crdAjv, crdValidatorsModule, jsPattern, jsPatterns, shared } from '../../../constructs/policy/_crd-ajv.js';
import { buildApp } from '../../../charts/app.js';
import { environmentNames, loadEnvironment } from '../../../charts/environment.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const imports = new URL('../../../constructs/imports/', import.meta.url);
const keyOf = (object: any) => `${object.apiVersion}/${object.kind}`;

/** Every custom resource of kinds with a CRD schema, from every environment. */
function customResources(): any[] {
  return environmentNames()
    .flatMap((name) => collectObjects(buildApp(loadEnvironment(name)).charts).map(({ object }) => object as any))
    .filter((object) => keyOf(object) in CRD_SCHEMAS);
}

/** Broken copies: an unknown field at the top of the spec and one in each object nested one level down. */
function brokenCopies(object: any): any[] {
  const copies: any[] = [{ ...object, spec: { ...object.spec, notAField: true } }];
  for (const [key, value] of Object.entries(object.spec ?? {})) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      copies.push({ ...object, spec: { ...object.spec, [key]: { ...value, notAField: 1 } } });
    }
    if (typeof value === 'string') copies.push({ ...object, spec: { ...object.spec, [key]: 42 } });
  }
  return copies;
}

describe('precompiled CRD validators', () => {
  it('are current: regenerating them from the pinned schemas changes nothing', () => {
    assert.equal(readFileSync(new URL('crd-validators.js', imports), 'utf8'), crdValidatorsModule(CRD_SCHEMAS),
      'constructs/imports/crd-validators.js is out of date: run constructs/imports/regenerate.sh');
    assert.equal(readFileSync(new URL('crd-validators.d.ts', imports), 'utf8'), CRD_VALIDATORS_DECLARATIONS);
    assert.deepEqual(Object.keys(CRD_VALIDATORS).sort(), Object.keys(CRD_SCHEMAS).sort());
  });

  it('share the repeated parts of large schemas, and only repeated ones, losing nothing', () => {
    /** Replaces every `$ref` into `$defs` by the definition it names, recursively. */
    const inlined = (schema: unknown, defs: Record<string, unknown>): unknown => {
      if (Array.isArray(schema)) return schema.map((item) => inlined(item, defs));
      if (schema === null || typeof schema !== 'object') return schema;
      const ref = (schema as { $ref?: string }).$ref;
      if (ref !== undefined) return inlined(defs[ref.replace('#/$defs/', '')], defs);
      return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$defs').map(([key, value]) => [key, inlined(value, defs)]));
    };
    for (const key of Object.keys(CRD_SCHEMAS)) {
      const plain = closed(CRD_SCHEMAS[key]);
      const sharing = shared(plain as Record<string, unknown>);
      assert.deepEqual(inlined(sharing, (sharing.$defs ?? {}) as Record<string, unknown>), plain, key);
    }
    const envoyProxy = shared(closed(CRD_SCHEMAS['gateway.envoyproxy.io/v1alpha1/EnvoyProxy']) as Record<string, unknown>);
    assert.ok(Object.keys(envoyProxy.$defs as Record<string, unknown>).length > 10);
    assert.ok(JSON.stringify(envoyProxy).length * 2 < JSON.stringify(closed(CRD_SCHEMAS['gateway.envoyproxy.io/v1alpha1/EnvoyProxy'])).length,
      'the shared schema is less than half the size');
    // Small repeated parts stay where they are.
    const small = { type: 'object', properties: { a: { type: 'string' } } };
    assert.deepEqual(shared({ type: 'object', properties: { x: small, y: small } }), { type: 'object', properties: { x: small, y: small } });
  });

  it('answer as the schema compiled without sharing, on every custom resource the environments synthesize and broken copies', () => {
    // The same options; the schema only closed (its Go patterns in JavaScript's syntax), compiled in this process.
    const plain = crdAjv(false);
    const compiled = new Map<string, ValidateFunction>();
    const objects = customResources();
    const kinds = new Set(objects.map(keyOf));
    for (const expected of ['gateway.envoyproxy.io/v1alpha1/EnvoyProxy', 'gateway.envoyproxy.io/v1alpha1/SecurityPolicy', 'cert-manager.io/v1/ClusterIssuer', 'gateway.networking.k8s.io/v1/HTTPRoute']) {
      assert.ok(kinds.has(expected), expected);
    }
    let rejected = 0;
    let checked = 0;
    for (const object of objects) {
      const key = keyOf(object);
      let reference = compiled.get(key);
      if (!reference) {
        reference = plain.compile(jsPatterns(closed(CRD_SCHEMAS[key])) as Record<string, unknown>);
        compiled.set(key, reference);
      }
      const precompiled = CRD_VALIDATORS[key];
      assert.ok(precompiled, key);
      for (const candidate of [object, ...brokenCopies(object)]) {
        const answer = reference(candidate) as boolean;
        assert.equal(precompiled(candidate), answer, `${key} ${object.metadata?.name}: ${JSON.stringify(candidate.spec).slice(0, 200)}`);
        if (!answer) rejected++;
        checked++;
      }
      assert.equal(precompiled(object), true, `${key} ${object.metadata?.name} is valid`);
    }
    assert.ok(rejected > objects.length, `${rejected} of ${checked} rejected`);
  });

  it('report an error inside a shared subschema at the object\'s own path', async () => {
    const findings = await checkSchema({
      apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'EnvoyProxy', metadata: { name: 'proxy', namespace: 'edge' },
      spec: { provider: { type: 'Kubernetes', kubernetes: { envoyDeployment: { container: { resources: { limits: { cpu: '1' } }, imagePulPolicy: 'Always' } } } } },
    });
    assert.deepEqual(findings.map((f) => f.path), ['spec.provider.kubernetes.envoyDeployment.container.imagePulPolicy']);
    assert.match(findings[0]?.message ?? '', /is not a field of this kind \(the API server would drop it\)/);
  });

  it("read Go's case-insensitive patterns as the API server does: (?i) becomes letter classes, other patterns stay as they are", () => {
    const pattern = jsPattern('^(?i)(abort|warn)?$');
    assert.equal(pattern, '^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$');
    const regex = new RegExp(pattern, 'u');
    assert.deepEqual(['Abort', 'WARN', 'warn', ''].map((v) => regex.test(v)), [true, true, true, true]);
    assert.deepEqual(['abortx', 'skip'].map((v) => regex.test(v)), [false, false]);
    assert.equal(jsPattern('(?i)[a-f0-9]+\\d'), '[a-f0-9A-F]+\\d');
    assert.equal(jsPattern('^[a-z]+$'), '^[a-z]+$');
  });
});
