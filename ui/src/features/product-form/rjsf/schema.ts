import type { RJSFSchema } from '@rjsf/utils';
// Owned by the Rust side (generated from the model types); never copy them into ui/.
// These very objects are what scripts/gen-validators.mjs precompiles: the precompiled validators
// find their functions by a hash of the schema, so the forms must get them unchanged.
import dataProductJson from '../../../../../schemas/data-product.schema.json';
import provisioningRequestJson from '../../../../../schemas/provisioning-request.schema.json';

export const dataProductSchema = dataProductJson as RJSFSchema;
/** The whole provisioning request: the data product, its ODCS contracts and the infrastructure. */
export const provisioningRequestSchema = provisioningRequestJson as RJSFSchema;
