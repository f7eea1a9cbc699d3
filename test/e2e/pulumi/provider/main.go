// Command pulumi-resource-kubernetes serves the Pulumi Kubernetes provider
// built from the module this go.mod pins. test/e2e/pulumi.sh writes the two
// embedded files into a scratch copy of this module before building it.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

// The package schema, with `version` set to the version this binary reports.
//
//go:embed schema-embed.json
var schema []byte

// The provider's mapping for `pulumi convert --from terraform`.
//
//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, schema, terraformMapping)
}
