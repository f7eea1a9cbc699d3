/**
 * The one module through which the kit uses cdk8s-plus. Moving to a newer cdk8s-plus
 * (cdk8s-plus-28, -29, …) is a change to this line and to package.json.
 */
export * from 'cdk8s-plus-27';
