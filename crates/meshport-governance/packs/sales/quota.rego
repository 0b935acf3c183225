# Sales data must align with quota definitions.
package meshport.sales

import rego.v1

# Every product under review with the JSON pointer prefix at which it sits in the input: the input
# itself for an ODPS product, its `product` for a provisioning request.
products contains {"prefix": "", "product": input} if input.kind == "DataProduct"

products contains {"prefix": "/product", "product": input.product} if {
	input.kind == "ProvisioningRequest"
	is_object(input.product)
}

# Every quotaDefinition authoritativeDefinition of a product, at product level or on an output port:
# {"path": its pointer relative to the product, "definition": it}.
quota_definitions(product) := product_level | port_level if {
	product_level := {{"path": sprintf("/authoritativeDefinitions/%d", [k]), "definition": d} |
		some k, d in _array(product.authoritativeDefinitions)
		_is_quota_definition(d)
	}
	port_level := {{"path": sprintf("/outputPorts/%d/authoritativeDefinitions/%d", [i, k]), "definition": d} |
		some i, port in _array(product.outputPorts)
		some k, d in _array(port.authoritativeDefinitions)
		_is_quota_definition(d)
	}
}

_is_quota_definition(definition) if {
	is_string(definition.type)
	lower(definition.type) == "quotadefinition"
}

deny_quota_definitions contains result if {
	some p in products
	count(quota_definitions(p.product)) == 0
	result := {
		"msg": sprintf("Product %s has no authoritativeDefinition of type quotaDefinition, so its figures are not aligned with the sales quotas.", [_name(p.product)]),
		"path": _definitions_pointer(p),
		"hint": "Add authoritativeDefinitions: [{type: quotaDefinition, url: <link to the quota definitions>}] to the product or to an output port.",
	}
}

deny_quota_definitions contains result if {
	some p in products
	some q in quota_definitions(p.product)
	not _non_empty_string(q.definition.url)
	result := {
		"msg": sprintf("A quotaDefinition of product %s has no url, so the quota definitions cannot be found.", [_name(p.product)]),
		"path": sprintf("%s%s", [p.prefix, q.path]),
		"hint": "Set the url of the quotaDefinition to where the quota definitions are published.",
	}
}

_non_empty_string(value) if {
	is_string(value)
	trim_space(value) != ""
}

_name(product) := json.marshal(product.name) if is_string(product.name)

_name(product) := "(unnamed)" if not is_string(product.name)

_definitions_pointer(p) := sprintf("%s/authoritativeDefinitions", [p.prefix]) if is_array(p.product.authoritativeDefinitions)

_definitions_pointer(p) := p.prefix if not is_array(p.product.authoritativeDefinitions)

# `value` when it is an array, otherwise an empty array, so that a malformed document (reported by the
# schema checks) does not make the rule fail to evaluate.
_array(value) := value if is_array(value)

_array(value) := [] if not is_array(value)
