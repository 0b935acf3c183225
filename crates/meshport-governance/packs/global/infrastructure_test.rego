package meshport.global

import rego.v1

test_encryption_at_rest_passes_with_aes_and_flag if {
	count(deny_encryption_at_rest) == 0 with input as good_request
}

test_encryption_at_rest_passes_standalone_product_unchecked if {
	count(deny_encryption_at_rest) == 0 with input as good_product
}

test_encryption_at_rest_fails_when_flag_false if {
	bad := object.union(good_request, {"infrastructure": {"security": {"encryptionAtRest": false}}})
	findings := deny_encryption_at_rest with input as bad
	count(findings) == 1
	some f in findings
	f.path == "/infrastructure/security/encryptionAtRest"
	contains(f.msg, "encryptionAtRest is false")
}

test_encryption_at_rest_fails_without_storage_encryption if {
	bad := json.remove(good_request, ["infrastructure/storage/encryption"])
	findings := deny_encryption_at_rest with input as bad
	count(findings) == 1
	some f in findings
	f.path == "/infrastructure/storage"
	contains(f.msg, "infrastructure.storage.encryption is missing")
}

test_encryption_at_rest_fails_with_encryption_none if {
	bad := object.union(good_request, {"infrastructure": {"storage": {"encryption": "none"}}})
	findings := deny_encryption_at_rest with input as bad
	count(findings) == 1
	some f in findings
	f.path == "/infrastructure/storage/encryption"
}

test_encryption_at_rest_fails_twice_without_security_and_storage if {
	findings := deny_encryption_at_rest with input as request_with_infrastructure({})
	paths := {f.path | some f in findings}
	paths == {"/infrastructure"}
	count(findings) == 2
}

test_retention_policy_passes_with_retention if {
	count(deny_retention_policy) == 0 with input as good_request
}

test_retention_policy_passes_standalone_contract_unchecked if {
	count(deny_retention_policy) == 0 with input as good_contract
}

test_retention_policy_fails_without_retention if {
	findings := deny_retention_policy with input as json.remove(good_request, ["infrastructure/storage/retention"])
	count(findings) == 1
	some f in findings
	f.path == "/infrastructure/storage"
	contains(f.msg, "infrastructure.storage.retention is missing")
}

test_retention_policy_fails_with_blank_retention if {
	findings := deny_retention_policy with input as object.union(good_request, {"infrastructure": {"storage": {"retention": " "}}})
	count(findings) == 1
	some f in findings
	f.path == "/infrastructure/storage/retention"
}

test_audit_logging_passes_when_enabled if {
	count(deny_audit_logging) == 0 with input as good_request
}

test_audit_logging_fails_when_disabled if {
	findings := deny_audit_logging with input as object.union(good_request, {"infrastructure": {"security": {"auditLogging": false}}})
	count(findings) == 1
	some f in findings
	f.path == "/infrastructure/security/auditLogging"
	contains(f.msg, "auditLogging is false")
}

test_audit_logging_fails_without_security if {
	findings := deny_audit_logging with input as json.remove(good_request, ["infrastructure/security"])
	count(findings) == 1
	some f in findings
	f.path == "/infrastructure"
	contains(f.msg, "infrastructure.security.auditLogging is missing")
}
