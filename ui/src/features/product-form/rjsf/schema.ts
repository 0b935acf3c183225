import type { RJSFSchema } from '@rjsf/utils';
// Owned by the Rust side (generated from the model types); never copy it into ui/.
import dataProductJson from '../../../../../schemas/data-product.schema.json';

export const dataProductSchema = dataProductJson as RJSFSchema;
