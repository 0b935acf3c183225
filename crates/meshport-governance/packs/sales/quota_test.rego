package meshport.sales

import rego.v1

pipeline := {
	"apiVersion": "v1.0.0",
	"kind": "DataProduct",
	"id": "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d",
	"name": "Sales Pipeline",
	"version": "1.0.0",
	"status": "active",
	"domain": "sales",
	"outputPorts": [{"name": "opportunities", "version": "1.0.0", "contractId": "c1"}],
	"authoritativeDefinitions": [{"type": "quotaDefinition", "url": "https://wiki.retailcorp.example/sales/quotas-2025"}],
}

test_quota_definitions_passes_at_product_level if {
	count(deny_quota_definitions) == 0 with input as pipeline
}

test_quota_definitions_passes_on_output_port_in_request if {
	product := object.union(json.remove(pipeline, ["authoritativeDefinitions"]), {"outputPorts": [{
		"name": "opportunities",
		"authoritativeDefinitions": [{"type": "QuotaDefinition", "url": "https://wiki.retailcorp.example/sales/quotas-2025"}],
	}]})
	count(deny_quota_definitions) == 0 with input as {"kind": "ProvisioningRequest", "product": product}
}

test_quota_definitions_fails_without_definitions if {
	findings := deny_quota_definitions with input as json.remove(pipeline, ["authoritativeDefinitions"])
	count(findings) == 1
	some f in findings
	f.path == ""
	contains(f.msg, "quotaDefinition")
}

test_quota_definitions_fails_in_request_with_other_definitions if {
	product := object.union(pipeline, {"authoritativeDefinitions": [{"type": "businessDefinition", "url": "https://x"}]})
	findings := deny_quota_definitions with input as {"kind": "ProvisioningRequest", "product": product}
	count(findings) == 1
	some f in findings
	f.path == "/product/authoritativeDefinitions"
}

test_quota_definitions_fails_without_url if {
	product := object.union(pipeline, {"authoritativeDefinitions": [{"type": "quotaDefinition", "url": ""}]})
	findings := deny_quota_definitions with input as product
	count(findings) == 1
	some f in findings
	f.path == "/authoritativeDefinitions/0"
	contains(f.msg, "no url")
}
