# Rules on the infrastructure of a provisioning request: encryption at rest, retention, audit logging.
# Products and contracts on their own carry no infrastructure and are not checked by these rules.
package meshport.global

import data.meshport.lib
import rego.v1

# Storage encryption values that mean "not encrypted".
_no_encryption := {"none", "off", "false", "no", "disabled", "unencrypted", "plaintext"}

deny_encryption_at_rest contains result if {
	lib.is_request
	object.get(input, ["infrastructure", "security", "encryptionAtRest"], null) != true
	result := {
		"msg": sprintf("infrastructure.security.encryptionAtRest %s but must be true, so that the data is encrypted at rest.", [lib.state(["infrastructure", "security", "encryptionAtRest"])]),
		"path": lib.nearest_pointer(["infrastructure", "security", "encryptionAtRest"]),
		"hint": "Set infrastructure.security.encryptionAtRest to true.",
	}
}

deny_encryption_at_rest contains result if {
	lib.is_request
	encryption := object.get(input, ["infrastructure", "storage", "encryption"], null)
	not _encryption_named(encryption)
	result := {
		"msg": sprintf("infrastructure.storage.encryption %s but must name the encryption algorithm of the storage.", [lib.state(["infrastructure", "storage", "encryption"])]),
		"path": lib.nearest_pointer(["infrastructure", "storage", "encryption"]),
		"hint": "Set infrastructure.storage.encryption to the algorithm the storage encrypts with, e.g. AES-256.",
	}
}

_encryption_named(value) if {
	lib.non_empty_string(value)
	not lower(trim_space(value)) in _no_encryption
}

deny_retention_policy contains result if {
	lib.is_request
	not lib.non_empty_string(object.get(input, ["infrastructure", "storage", "retention"], null))
	result := {
		"msg": sprintf("infrastructure.storage.retention %s but must state how long the stored data is kept.", [lib.state(["infrastructure", "storage", "retention"])]),
		"path": lib.nearest_pointer(["infrastructure", "storage", "retention"]),
		"hint": "Set infrastructure.storage.retention to how long data is kept, e.g. \"7 years\" or \"90 days\".",
	}
}

deny_audit_logging contains result if {
	lib.is_request
	object.get(input, ["infrastructure", "security", "auditLogging"], null) != true
	result := {
		"msg": sprintf("infrastructure.security.auditLogging %s but must be true, so that every access to the data is audit logged.", [lib.state(["infrastructure", "security", "auditLogging"])]),
		"path": lib.nearest_pointer(["infrastructure", "security", "auditLogging"]),
		"hint": "Set infrastructure.security.auditLogging to true.",
	}
}
