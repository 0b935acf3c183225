package meshport.global

import rego.v1

# --- PII masking --------------------------------------------------------------------------------

test_pii_masked_outside_production_passes_with_masking_rules if {
	count(deny_pii_masked_outside_production) == 0 with input as good_contract
	count(deny_pii_masked_outside_production) == 0 with input as good_request
}

test_pii_masked_outside_production_passes_non_pii_restricted if {
	contract := contract_with_properties([{"name": "margin", "classification": "restricted", "tags": ["finance"]}])
	count(deny_pii_masked_outside_production) == 0 with input as contract
}

test_pii_masked_outside_production_passes_pii_inside_another_word if {
	contract := contract_with_properties([{"name": "x", "classification": "piixel", "tags": ["spiit", "copii"]}])
	count(deny_pii_masked_outside_production) == 0 with input as contract
}

test_pii_masked_outside_production_fails_without_masking_rule if {
	contract := contract_with_properties([
		{"name": "order_id", "classification": "internal"},
		{"name": "email", "classification": "restricted", "tags": ["PII"]},
	])
	findings := deny_pii_masked_outside_production with input as contract
	count(findings) == 1
	some f in findings
	f.path == "/schema/0/properties/1"
	contains(f.msg, "\"email\"")
	contains(f.msg, "maskingRule")
}

test_pii_masked_outside_production_fails_in_request_by_classification if {
	contract := contract_with_properties([{"name": "phone", "classification": "pii"}])
	findings := deny_pii_masked_outside_production with input as request_with_contract(contract)
	count(findings) == 1
	some f in findings
	f.path == "/contracts/0/schema/0/properties/0"
}

test_pii_masked_outside_production_fails_nested_property if {
	contract := contract_with_properties([{"name": "buyer", "logicalType": "object", "properties": [
		{"name": "id"},
		{"name": "phone", "tags": ["pii:phone"]},
	]}])
	findings := deny_pii_masked_outside_production with input as contract
	count(findings) == 1
	some f in findings
	f.path == "/schema/0/properties/0/properties/1"
}

test_pii_masked_outside_production_fails_with_unknown_rule if {
	contract := contract_with_properties([{
		"name": "email",
		"classification": "pii",
		"customProperties": [{"property": "owner", "value": "x"}, {"property": "maskingRule", "value": "shuffle"}],
	}])
	findings := deny_pii_masked_outside_production with input as contract
	count(findings) == 1
	some f in findings
	f.path == "/schema/0/properties/0/customProperties/1/value"
	contains(f.msg, "\"shuffle\"")
	contains(f.hint, "tokenize")
}

# --- Sensitivity --------------------------------------------------------------------------------

test_contract_sensitivity_passes_with_level if {
	count(deny_contract_sensitivity) == 0 with input as good_contract
	count(deny_contract_sensitivity) == 0 with input as good_request
}

test_contract_sensitivity_passes_products_unchecked if {
	count(deny_contract_sensitivity) == 0 with input as good_product
}

test_contract_sensitivity_fails_without_custom_properties if {
	findings := deny_contract_sensitivity with input as json.remove(good_contract, ["customProperties"])
	count(findings) == 1
	some f in findings
	f.path == ""
	contains(f.msg, "dataSensitivity")
}

test_contract_sensitivity_fails_in_request_without_level if {
	contract := object.union(good_contract, {"customProperties": [{"property": "team", "value": "x"}]})
	findings := deny_contract_sensitivity with input as request_with_contract(contract)
	count(findings) == 1
	some f in findings
	f.path == "/contracts/0/customProperties"
}

test_contract_sensitivity_fails_with_unknown_level if {
	contract := object.union(good_contract, {"customProperties": [{"property": "dataSensitivity", "value": "secret"}]})
	findings := deny_contract_sensitivity with input as contract
	count(findings) == 1
	some f in findings
	f.path == "/customProperties/0/value"
	contains(f.msg, "\"secret\"")
	contains(f.hint, "public, internal, confidential or restricted")
}

# --- Quality SLOs per output port ---------------------------------------------------------------

test_quality_slos_per_output_port_passes_with_quality_and_sla if {
	count(warn_quality_slos_per_output_port) == 0 with input as good_request
}

test_quality_slos_per_output_port_passes_with_property_quality_only if {
	contract := object.union(
		contract_with_properties([{"name": "qty", "quality": [{"metric": "nullValues", "mustBe": 0}]}]),
		{"slaProperties": [{"property": "retention", "value": 7, "unit": "y"}]},
	)
	count(warn_quality_slos_per_output_port) == 0 with input as request_with_contract(contract)
}

test_quality_slos_per_output_port_fails_without_quality if {
	contract := contract_with_properties([{"name": "qty"}])
	findings := warn_quality_slos_per_output_port with input as request_with_contract(contract)
	count(findings) == 1
	some f in findings
	f.path == "/product/outputPorts/0"
	contains(f.msg, "no quality rules")
}

test_quality_slos_per_output_port_fails_without_sla if {
	contract := json.remove(good_contract, ["slaProperties"])
	findings := warn_quality_slos_per_output_port with input as request_with_contract(contract)
	count(findings) == 1
	some f in findings
	f.path == "/product/outputPorts/0"
	contains(f.msg, "slaProperties")
}
