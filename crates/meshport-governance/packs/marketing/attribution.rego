# Marketing data must include its attribution model.
package meshport.marketing

import rego.v1

# Every product under review with the JSON pointer prefix at which it sits in the input: the input
# itself for an ODPS product, its `product` for a provisioning request.
products contains {"prefix": "", "product": input} if input.kind == "DataProduct"

products contains {"prefix": "/product", "product": input.product} if {
	input.kind == "ProvisioningRequest"
	is_object(input.product)
}

# The attributionModel customProperties of `product`, each as {"index": its index, "value": its value}.
attribution_models(product) := {{"index": k, "value": object.get(cp, "value", null)} |
	some k, cp in _array(product.customProperties)
	is_object(cp)
	is_string(cp.property)
	lower(cp.property) == "attributionmodel"
}

_hint := "Add customProperties: [{property: attributionModel, value: <model>}] to the product, e.g. position-based, last-touch or data-driven."

deny_attribution_model contains result if {
	some p in products
	count(attribution_models(p.product)) == 0
	result := {
		"msg": sprintf("Product %s declares no attributionModel customProperty, so its figures cannot be traced to an attribution model.", [_name(p.product)]),
		"path": _custom_properties_pointer(p),
		"hint": _hint,
	}
}

deny_attribution_model contains result if {
	some p in products
	some model in attribution_models(p.product)
	not _non_empty_string(model.value)
	result := {
		"msg": sprintf("The attributionModel of product %s is empty.", [_name(p.product)]),
		"path": sprintf("%s/customProperties/%d/value", [p.prefix, model.index]),
		"hint": "Set the attributionModel value to the model the product uses, e.g. position-based, last-touch or data-driven.",
	}
}

_non_empty_string(value) if {
	is_string(value)
	trim_space(value) != ""
}

_name(product) := json.marshal(product.name) if is_string(product.name)

_name(product) := "(unnamed)" if not is_string(product.name)

_custom_properties_pointer(p) := sprintf("%s/customProperties", [p.prefix]) if is_array(p.product.customProperties)

_custom_properties_pointer(p) := p.prefix if not is_array(p.product.customProperties)

# `value` when it is an array, otherwise an empty array, so that a malformed document (reported by the
# schema checks) does not make the rule fail to evaluate.
_array(value) := value if is_array(value)

_array(value) := [] if not is_array(value)
