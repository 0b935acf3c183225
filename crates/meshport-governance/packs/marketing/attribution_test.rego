package meshport.marketing

import rego.v1

campaign_attribution := {
	"apiVersion": "v1.0.0",
	"kind": "DataProduct",
	"id": "7e6f5a4b-3c2d-4e1f-a0b9-c8d7e6f5a4b3",
	"name": "Campaign Attribution",
	"version": "0.9.0",
	"status": "draft",
	"domain": "marketing",
	"customProperties": [{"property": "attributionModel", "value": "position-based"}],
}

test_attribution_model_passes_with_model if {
	count(deny_attribution_model) == 0 with input as campaign_attribution
}

test_attribution_model_passes_in_request if {
	request := {"apiVersion": "meshport/v1", "kind": "ProvisioningRequest", "product": campaign_attribution}
	count(deny_attribution_model) == 0 with input as request
}

test_attribution_model_fails_without_custom_properties if {
	findings := deny_attribution_model with input as json.remove(campaign_attribution, ["customProperties"])
	count(findings) == 1
	some f in findings
	f.path == ""
	contains(f.msg, "attributionModel")
}

test_attribution_model_fails_in_request_with_other_properties if {
	product := object.union(campaign_attribution, {"customProperties": [{"property": "channel", "value": "web"}]})
	findings := deny_attribution_model with input as {"kind": "ProvisioningRequest", "product": product}
	count(findings) == 1
	some f in findings
	f.path == "/product/customProperties"
}

test_attribution_model_fails_with_empty_value if {
	product := object.union(campaign_attribution, {"customProperties": [{"property": "attributionModel", "value": " "}]})
	findings := deny_attribution_model with input as product
	count(findings) == 1
	some f in findings
	f.path == "/customProperties/0/value"
	contains(f.msg, "is empty")
}
