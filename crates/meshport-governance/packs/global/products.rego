# Rules on data products (ODPS v1.0), standalone or inside a provisioning request: lineage, ownership
# and port naming.
package meshport.global

import data.meshport.lib
import rego.v1

deny_lineage_declared contains result if {
	some p in lib.products
	not _has_input_port(p.product)
	result := {
		"msg": sprintf("Product %s declares no inputPorts, so its lineage is unknown.", [_product_name(p.product)]),
		"path": _field_pointer(p, "inputPorts"),
		"hint": "Add an inputPorts entry (name, version, contractId) for every source the product reads.",
	}
}

_has_input_port(product) if {
	is_array(product.inputPorts)
	count(product.inputPorts) > 0
}

# --- Ownership ----------------------------------------------------------------------------------
# Roles are compared case-insensitively, with `_` and `-` read as spaces.

owner_roles := {"owner", "data owner", "product owner"}

steward_roles := {"data steward", "steward"}

_has_role(product, roles) if {
	some member in lib.array(product.team.members)
	lib.normalized(member.role) in roles
}

deny_ownership contains result if {
	some p in lib.products
	not _has_role(p.product, owner_roles)
	result := {
		"msg": sprintf("The team of product %s has no member with role owner.", [_product_name(p.product)]),
		"path": _members_pointer(p),
		"hint": "Add a member with role: owner to team.members.",
	}
}

deny_ownership contains result if {
	some p in lib.products
	not _has_role(p.product, steward_roles)
	result := {
		"msg": sprintf("The team of product %s has no member with role data steward.", [_product_name(p.product)]),
		"path": _members_pointer(p),
		"hint": "Add a member with role: data steward to team.members.",
	}
}

_members_pointer(p) := sprintf("%s/team/members", [p.prefix]) if is_array(p.product.team.members)

_members_pointer(p) := sprintf("%s/team", [p.prefix]) if {
	is_object(p.product.team)
	not is_array(p.product.team.members)
}

_members_pointer(p) := p.prefix if not is_object(p.product.team)

# --- Port naming --------------------------------------------------------------------------------

_kebab_case := `^[a-z0-9]+(-[a-z0-9]+)*$`

warn_port_naming contains result if {
	some p in lib.products
	some kind, label in {"inputPorts": "input port", "outputPorts": "output port"}
	some i, port in lib.array(p.product[kind])
	is_string(port.name)
	not regex.match(_kebab_case, port.name)
	result := {
		"msg": sprintf("The %s name %s is not kebab-case.", [label, json.marshal(port.name)]),
		"path": sprintf("%s/%s/%d/name", [p.prefix, kind, i]),
		"hint": sprintf("Rename the port in kebab-case (lower-case letters and digits joined by single hyphens), e.g. %s.", [json.marshal(_kebab(port.name))]),
	}
}

# A kebab-case suggestion for `name`: lower-cased, with every run of other characters made one hyphen.
_kebab(name) := trim(regex.replace(lower(name), `[^a-z0-9]+`, "-"), "-")

_product_name(product) := json.marshal(product.name) if is_string(product.name)

_product_name(product) := "(unnamed)" if not is_string(product.name)

_field_pointer(p, field) := sprintf("%s/%s", [p.prefix, field]) if p.product[field]

_field_pointer(p, field) := p.prefix if not p.product[field]
