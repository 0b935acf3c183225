package meshport.global

import rego.v1

test_lineage_declared_passes_with_input_port if {
	count(deny_lineage_declared) == 0 with input as good_product
	count(deny_lineage_declared) == 0 with input as good_request
}

test_lineage_declared_fails_without_input_ports if {
	findings := deny_lineage_declared with input as json.remove(good_product, ["inputPorts"])
	count(findings) == 1
	some f in findings
	f.path == ""
	contains(f.msg, "inputPorts")
}

test_lineage_declared_fails_in_request_with_empty_input_ports if {
	bad := object.union(good_request, {"product": {"inputPorts": []}})
	findings := deny_lineage_declared with input as bad
	count(findings) == 1
	some f in findings
	f.path == "/product/inputPorts"
}

test_ownership_passes_with_owner_and_steward if {
	count(deny_ownership) == 0 with input as good_product
	count(deny_ownership) == 0 with input as good_request
}

test_ownership_fails_without_steward if {
	product := product_with_members([{"username": "a", "role": "owner"}, {"username": "b", "role": "data engineer"}])
	findings := deny_ownership with input as product
	count(findings) == 1
	some f in findings
	f.path == "/team/members"
	contains(f.msg, "data steward")
}

test_ownership_fails_twice_in_request_without_team if {
	findings := deny_ownership with input as json.remove(good_request, ["product/team"])
	count(findings) == 2
	{f.path | some f in findings} == {"/product"}
}

test_port_naming_passes_kebab_case if {
	count(warn_port_naming) == 0 with input as good_product
	count(warn_port_naming) == 0 with input as good_request
}

test_port_naming_fails_snake_case_output_port if {
	bad := object.union(good_request, {"product": {"outputPorts": [{"name": "order_lines", "version": "1.0.0"}]}})
	findings := warn_port_naming with input as bad
	count(findings) == 1
	some f in findings
	f.path == "/product/outputPorts/0/name"
	f.msg == "The output port name \"order_lines\" is not kebab-case."
	contains(f.hint, "\"order-lines\"")
}

test_port_naming_fails_camel_case_input_port if {
	bad := object.union(good_product, {"inputPorts": [{"name": "ok-port"}, {"name": "PosTransactions"}]})
	findings := warn_port_naming with input as bad
	count(findings) == 1
	some f in findings
	f.path == "/inputPorts/1/name"
}
