# Shared test documents: a compliant product, contract and provisioning request, from which the tests
# derive violating ones with object.union (a deep merge) and json.remove.
package meshport.global

import rego.v1

good_product := {
	"apiVersion": "v1.0.0",
	"kind": "DataProduct",
	"id": "3f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61",
	"name": "Orders",
	"version": "1.0.0",
	"status": "active",
	"domain": "orders",
	"inputPorts": [{"name": "pos-transactions", "version": "2.1.0", "contractId": "8a0d4c7e-2f59-4b18-bc3e-5d6e7f809a12"}],
	"outputPorts": [{
		"name": "order-lines",
		"version": "1.0.0",
		"type": "tables",
		"contractId": "7e4b9c21-0d3a-4f6e-8b15-2a9c8d7f6e50",
	}],
	"team": {"name": "orders-data", "members": [
		{"username": "maria.lopez@retailcorp.example", "role": "Owner"},
		{"username": "tom.becker@retailcorp.example", "role": "data_steward"},
	]},
}

good_contract := {
	"apiVersion": "v3.1.0",
	"kind": "DataContract",
	"id": "7e4b9c21-0d3a-4f6e-8b15-2a9c8d7f6e50",
	"name": "order-lines",
	"version": "1.0.0",
	"status": "active",
	"domain": "orders",
	"customProperties": [{"property": "dataSensitivity", "value": "confidential"}],
	"schema": [{
		"name": "order_lines",
		"physicalName": "order_lines",
		"properties": [
			{"name": "order_id", "logicalType": "string", "classification": "internal"},
			{
				"name": "email",
				"logicalType": "string",
				"classification": "restricted",
				"tags": ["pii"],
				"customProperties": [{"property": "maskingRule", "value": "hash"}],
			},
			{
				"name": "buyer",
				"logicalType": "object",
				"properties": [{
					"name": "phone",
					"logicalType": "string",
					"classification": "PII",
					"customProperties": [{"property": "maskingRule", "value": "redact"}],
				}],
			},
		],
		"quality": [{"metric": "rowCount", "mustBeGreaterThan": 1000}],
	}],
	"slaProperties": [{"property": "latency", "value": 6, "unit": "h"}],
}

good_infrastructure := {
	"storage": {
		"type": "data-lake",
		"format": "delta-lake",
		"location": "s3://retailcorp-datalake/orders/",
		"retention": "7 years",
		"encryption": "AES-256",
	},
	"security": {"accessControl": "rbac", "encryptionAtRest": true, "auditLogging": true},
}

good_request := {
	"apiVersion": "meshport/v1",
	"kind": "ProvisioningRequest",
	"product": good_product,
	"contracts": [good_contract],
	"infrastructure": good_infrastructure,
}

# A request whose infrastructure is `infrastructure` (replacing the good one entirely).
request_with_infrastructure(infrastructure) := object.union(json.remove(good_request, ["infrastructure"]), {"infrastructure": infrastructure})

# A request whose one contract is `contract`.
request_with_contract(contract) := object.union(json.remove(good_request, ["contracts"]), {"contracts": [contract]})

# A contract whose first schema object has `properties`.
contract_with_properties(properties) := object.union(json.remove(good_contract, ["schema"]), {"schema": [{"name": "order_lines", "properties": properties}]})

# A product whose team members are `members`.
product_with_members(members) := object.union(good_product, {"team": {"members": members}})
