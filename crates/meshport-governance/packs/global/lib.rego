# Helpers shared by the rules of the global pack. The input is one of three documents: an ODPS data
# product, an ODCS data contract, or a Meshport provisioning request bundling a product, its contracts
# and its infrastructure. The helpers give each product and contract with the JSON pointer prefix at
# which it sits in the input, so that findings point at the exact field.
package meshport.lib

import rego.v1

is_request if input.kind == "ProvisioningRequest"

# Every product under review: {"prefix": pointer prefix, "product": the product}. Arrays rather than
# sets, so the engine never compares whole documents to build them.
products := array.concat(
	[{"prefix": "", "product": input} | input.kind == "DataProduct"],
	[{"prefix": "/product", "product": input.product} | is_request; is_object(input.product)],
)

# Every contract under review: {"prefix": pointer prefix, "contract": the contract}.
contracts := array.concat(
	[{"prefix": "", "contract": input} | input.kind == "DataContract"],
	[{"prefix": sprintf("/contracts/%d", [i]), "contract": contract} |
		is_request
		some i, contract in array(input.contracts)
		is_object(contract)
	],
)

# Every property of every contract, down to three levels of nesting (the `properties` of object
# properties and the `items` of array properties): {"path": its pointer, "property": the property}.
# Arrays, not sets: this runs once per column, and iterating an array is much cheaper for the engine
# than iterating a set of objects (every path is distinct, so nothing needs deduplicating).
schema_properties := array.concat(array.concat(_level1, _level2), _level3)

_level1 := [{"path": sprintf("%s/schema/%d/properties/%d", [c.prefix, i, j]), "property": p} |
	some c in contracts
	some i, obj in array(c.contract.schema)
	some j, p in array(obj.properties)
]

_level2 := _children(_level1)

_level3 := _children(_level2)

# The nested properties of `entries`, written out rather than through a helper per entry: a function
# call costs the engine a path lookup.
_children(entries) := array.concat(
	[{"path": sprintf("%s/properties/%d", [parent.path, k]), "property": p} |
		some parent in entries
		some k, p in parent.property.properties
	],
	[{"path": sprintf("%s/items", [parent.path]), "property": items} |
		some parent in entries
		items := parent.property.items
		is_object(items)
	],
)

# Whether `value` is a string with something besides white space in it.
non_empty_string(value) if {
	is_string(value)
	trim_space(value) != ""
}

# `text` lower-cased and trimmed, with `_` and `-` read as spaces (for role names and the like).
normalized(text) := trim_space(replace(replace(lower(text), "_", " "), "-", " ")) if is_string(text)

# The customProperties entries of `obj` whose `property` is `name` (compared case-insensitively),
# each as {"index": its index, "value": its value}.
custom_properties(obj, name) := {{"index": k, "value": object.get(cp, "value", null)} |
	some k, cp in array(obj.customProperties)
	is_object(cp)
	is_string(cp.property)
	lower(cp.property) == lower(name)
}

# The JSON pointer of `segments` (keys and array indices).
pointer(segments) := concat("", [sprintf("/%v", [s]) | some s in segments])

# The pointer of the deepest node of the input that exists along `segments`: the field itself when it
# is there, otherwise its nearest existing parent.
nearest_pointer(segments) := pointer(array.slice(segments, 0, n)) if {
	n := max({k |
		some k in numbers.range(0, count(segments))
		object.get(input, array.slice(segments, 0, k), _missing) != _missing
	})
}

_missing := "\u0000missing"

# "is missing", or "is <value as JSON>", for the node of the input along `segments`, to say in messages
# what was found.
state(segments) := "is missing" if object.get(input, segments, _missing) == _missing

state(segments) := sprintf("is %s", [json.marshal(value)]) if {
	value := object.get(input, segments, _missing)
	value != _missing
}

# `value` when it is an array, otherwise an empty array: iterate with `some x in lib.array(v)` so that
# a malformed document (reported by the schema checks) does not make a rule fail to evaluate.
array(value) := value if is_array(value)

array(value) := [] if not is_array(value)
