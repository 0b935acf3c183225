# Rules on data contracts (ODCS v3.1), standalone or inside a provisioning request: PII masking, the
# declared sensitivity level, and quality rules and SLAs behind every output port.
package meshport.global

import data.meshport.lib
import rego.v1

# --- PII masking --------------------------------------------------------------------------------
# Convention: a property is PII when its `classification` or one of its `tags` contains the word
# "pii" (any case, e.g. `classification: pii`, `tags: [pii]`, `tags: ["pii:email"]`). Every PII
# property declares how it is masked outside production with a property-level customProperty
# `{"property": "maskingRule", "value": <one of masking_rules>}`.

masking_rules := {"hash", "tokenize", "redact", "nullify", "truncate", "generalize"}

_masking_rules_text := concat(", ", sort([r | some r in masking_rules]))

_pii_pattern := `(^|[^a-z0-9])pii([^a-z0-9]|$)`

is_pii(property) if {
	is_string(property.classification)
	_pii_word(lower(property.classification))
}

is_pii(property) if {
	is_array(property.tags)
	some tag in property.tags
	is_string(tag)
	_pii_word(lower(tag))
}

# The text (lower case) holds the word "pii". Most texts are "pii" itself (a tag) or do not hold
# "pii" at all: both are told so without the regex (a regex match starts a fresh matcher each time:
# it is the costly part).
_pii_word(text) if text == "pii"

_pii_word(text) if {
	text != "pii"
	contains(text, "pii")
	regex.match(_pii_pattern, text)
}

# The PII properties, found once for the rules below.
_pii_properties := [entry | some entry in lib.schema_properties; is_pii(entry.property)]

deny_pii_masked_outside_production contains result if {
	some entry in _pii_properties
	count(lib.custom_properties(entry.property, "maskingRule")) == 0
	result := {
		"msg": sprintf("Property %s is PII but declares no maskingRule customProperty, so it would be copied unmasked outside production.", [_property_name(entry.property)]),
		"path": entry.path,
		"hint": sprintf("Add customProperties: [{property: maskingRule, value: <%s>}] to the property.", [_masking_rules_text]),
	}
}

deny_pii_masked_outside_production contains result if {
	some entry in _pii_properties
	some rule in lib.custom_properties(entry.property, "maskingRule")
	not _valid_choice(rule.value, masking_rules)
	result := {
		"msg": sprintf("The maskingRule of PII property %s is %s, which is not a known masking rule.", [_property_name(entry.property), json.marshal(rule.value)]),
		"path": sprintf("%s/customProperties/%d/value", [entry.path, rule.index]),
		"hint": sprintf("Set the maskingRule value to one of %s.", [_masking_rules_text]),
	}
}

_property_name(property) := json.marshal(property.name) if is_string(property.name)

_property_name(property) := "(unnamed)" if not is_string(property.name)

_valid_choice(value, choices) if {
	is_string(value)
	lower(trim_space(value)) in choices
}

# --- Sensitivity --------------------------------------------------------------------------------
# Convention: every contract declares its sensitivity level with a top-level customProperty
# `{"property": "dataSensitivity", "value": "public" | "internal" | "confidential" | "restricted"}`.

sensitivity_levels := {"public", "internal", "confidential", "restricted"}

_sensitivity_levels_text := "public, internal, confidential or restricted"

deny_contract_sensitivity contains result if {
	some c in lib.contracts
	count(lib.custom_properties(c.contract, "dataSensitivity")) == 0
	result := {
		"msg": sprintf("Contract %s declares no dataSensitivity customProperty, so its sensitivity level is unknown.", [_contract_name(c.contract)]),
		"path": _custom_properties_pointer(c),
		"hint": sprintf("Add customProperties: [{property: dataSensitivity, value: <%s>}] at the top level of the contract.", [_sensitivity_levels_text]),
	}
}

deny_contract_sensitivity contains result if {
	some c in lib.contracts
	some level in lib.custom_properties(c.contract, "dataSensitivity")
	not _valid_choice(level.value, sensitivity_levels)
	result := {
		"msg": sprintf("The dataSensitivity of contract %s is %s, which is not a sensitivity level.", [_contract_name(c.contract), json.marshal(level.value)]),
		"path": sprintf("%s/customProperties/%d/value", [c.prefix, level.index]),
		"hint": sprintf("Set the dataSensitivity value to one of %s.", [_sensitivity_levels_text]),
	}
}

_contract_name(contract) := json.marshal(contract.name) if is_string(contract.name)

_contract_name(contract) := json.marshal(contract.id) if {
	not is_string(contract.name)
	is_string(contract.id)
}

_contract_name(contract) := "(unnamed)" if {
	not is_string(contract.name)
	not is_string(contract.id)
}

_custom_properties_pointer(c) := sprintf("%s/customProperties", [c.prefix]) if is_array(c.contract.customProperties)

_custom_properties_pointer(c) := c.prefix if not is_array(c.contract.customProperties)

# --- Quality SLOs per output port ---------------------------------------------------------------
# In a provisioning request, the contract of every output port (the contract whose id is the port's
# contractId) defines quality rules (`quality` on a schema object or a property) and at least one
# slaProperty. A port whose contract is not in the request is reported by Meshport's semantic checks.

# An array, not a set: a set of whole contracts would make the engine compare them.
_port_contracts := [{"index": i, "port": port, "contract": contract} |
	lib.is_request
	some i, port in lib.array(input.product.outputPorts)
	is_string(port.contractId)
	some contract in lib.array(input.contracts)
	contract.id == port.contractId
]

_has_quality(contract) if {
	some obj in lib.array(contract.schema)
	_non_empty_array(obj.quality)
}

_has_quality(contract) if {
	some obj in lib.array(contract.schema)
	some p in lib.array(obj.properties)
	_non_empty_array(p.quality)
}

_has_quality(contract) if {
	some obj in lib.array(contract.schema)
	some p in lib.array(obj.properties)
	some q in lib.array(p.properties)
	_non_empty_array(q.quality)
}

_non_empty_array(value) if {
	is_array(value)
	count(value) > 0
}

warn_quality_slos_per_output_port contains result if {
	some pc in _port_contracts
	not _has_quality(pc.contract)
	result := {
		"msg": sprintf("The contract %s of output port %s defines no quality rules, so the port has no quality SLOs.", [json.marshal(pc.contract.id), _port_name(pc.port)]),
		"path": sprintf("/product/outputPorts/%d", [pc.index]),
		"hint": "Add quality rules to the contract's schema objects or properties (quality: [{metric: nullValues, mustBe: 0, ...}]).",
	}
}

warn_quality_slos_per_output_port contains result if {
	some pc in _port_contracts
	not _has_sla(pc.contract)
	result := {
		"msg": sprintf("The contract %s of output port %s defines no slaProperties, so the port has no service-level objectives.", [json.marshal(pc.contract.id), _port_name(pc.port)]),
		"path": sprintf("/product/outputPorts/%d", [pc.index]),
		"hint": "Add slaProperties to the contract, e.g. [{property: latency, value: 6, unit: h}].",
	}
}

_has_sla(contract) if _non_empty_array(contract.slaProperties)

_port_name(port) := json.marshal(port.name) if is_string(port.name)

_port_name(port) := "(unnamed)" if not is_string(port.name)
