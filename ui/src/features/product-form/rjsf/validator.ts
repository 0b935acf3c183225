import { hashForSchema, ID_KEY } from '@rjsf/utils';
import type { FormContextType, GenericObjectType, RJSFSchema, ValidatorType } from '@rjsf/utils';
import { createPrecompiledValidator } from '@rjsf/validator-ajv8';
import type { CompiledValidateFunction, ValidatorFunctions } from '@rjsf/validator-ajv8';
// Generated before dev, build, test, typecheck and lint (npm pre-scripts); git-ignored.
// If it is missing: npm --prefix ui run gen:validators
import * as precompiled from './generated/validators.js';
import { dataProductSchema, provisioningRequestSchema } from './schema';
import { conforms } from './structuralMatch';

/**
 * rjsf validators that never compile code.
 *
 * @rjsf/validator-ajv8 compiles schemas with `new Function` at run time, which the desktop
 * Content-Security-Policy (no 'unsafe-eval') forbids. The schemas the forms use are compiled at
 * build time instead (scripts/gen-validators.mjs: AJV standalone code, rjsf's precompiled
 * validators), and run here through rjsf's `createPrecompiledValidator`. The Rust shell stays the
 * source of truth for what is accepted; these give the findings as the user types.
 *
 * A precompiled validator only knows the schemas compiled for it, found by a hash of the schema:
 * every schema rjsf's own walk finds, plus the resolved options of every anyOf/oneOf (see the
 * generator). A form whose `schema` is not the very root object below makes them throw. For a
 * sub-schema that depends on the form data (so none could be compiled; see structuralMatch.ts),
 * `isValid` falls back to a structural match.
 */

/** The schemas there are precompiled validators for. */
export type ValidatedSchema = 'dataProduct' | 'provisioningRequest';

const ROOTS: Record<ValidatedSchema, RJSFSchema> = {
  dataProduct: dataProductSchema,
  provisioningRequest: provisioningRequestSchema,
};

const FUNCTIONS: Record<ValidatedSchema, ValidatorFunctions> = {
  dataProduct: precompiled.dataProduct,
  provisioningRequest: precompiled.provisioningRequest,
};

/** A validator for the Form of the given schema (`schema` prop: `dataProductSchema` or `provisioningRequestSchema`). */
export function createSchemaValidator<T = unknown, F extends FormContextType = GenericObjectType>(
  schema: ValidatedSchema,
): ValidatorType<T, RJSFSchema, F> {
  const functions = FUNCTIONS[schema];
  const inner = createPrecompiledValidator<T, RJSFSchema, F>(functions, ROOTS[schema]);
  return {
    validateFormData: (formData, s, customValidate, transformErrors, uiSchema) =>
      inner.validateFormData(formData, s, customValidate, transformErrors, uiSchema),
    rawValidation: <Result = unknown>(s: RJSFSchema, formData?: T) =>
      inner.rawValidation<Result>(s, formData),
    isValid(s: RJSFSchema, formData: T | undefined, rootSchema: RJSFSchema): boolean {
      const key = typeof s[ID_KEY] === 'string' ? s[ID_KEY] : hashForSchema(s);
      // The root the functions were compiled against: a form reading the schema with its references
      // inlined (`inlineDefinitions`) hands its own, which the precompiled validator would refuse.
      if (key in functions) return inner.isValid(s, formData, ROOTS[schema]);
      return conforms(s, formData, rootSchema);
    },
  };
}

/** The validator of the data product form (`schema={dataProductSchema}`). */
export function createNoEvalValidator<
  T = unknown,
  F extends FormContextType = GenericObjectType,
>(): ValidatorType<T, RJSFSchema, F> {
  return createSchemaValidator<T, F>('dataProduct');
}

/** For the data product form. */
export const noEvalValidator = createNoEvalValidator();
/** For a form over the whole provisioning request (`schema={provisioningRequestSchema}`). */
export const requestValidator = createSchemaValidator('provisioningRequest');

/** One schema violation. */
export interface SchemaError {
  /**
   * JSON pointer to the value at fault, e.g. `/contracts/0/schema/1/properties/2/name`. For a
   * missing required member or one the schema does not allow, the pointer names that member.
   */
  path: string;
  /** AJV's message, e.g. `must be string`, `must be equal to one of the allowed values`. */
  message: string;
  /** The JSON Schema keyword that failed: `required`, `enum`, `type`, `anyOf`, … */
  keyword: string;
}

/** The parts of an AJV error object read here. */
interface RawError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function toSchemaError(error: RawError): SchemaError {
  let path = error.instancePath;
  const member =
    error.keyword === 'required'
      ? error.params.missingProperty
      : error.keyword === 'additionalProperties'
        ? error.params.additionalProperty
        : undefined;
  if (typeof member === 'string') path = `${path}/${escapeToken(member)}`;
  return { path, message: error.message ?? error.keyword, keyword: error.keyword };
}

/** The precompiled function of each root schema, looked up the way rjsf does (by hash). */
const mainFunctions = new Map<ValidatedSchema, CompiledValidateFunction>();

function mainFunction(schema: ValidatedSchema): CompiledValidateFunction {
  let fn = mainFunctions.get(schema);
  if (fn === undefined) {
    const key = hashForSchema(ROOTS[schema]);
    fn = FUNCTIONS[schema][key];
    if (fn === undefined) {
      throw new Error(`no precompiled validator for the ${schema} schema (${key}): regenerate them`);
    }
    mainFunctions.set(schema, fn);
  }
  return fn;
}

/**
 * Validates a document against the provisioning request schema (`'provisioningRequest'`) or the
 * data product schema (`'dataProduct'`); an empty list when it conforms. Every violation is
 * reported (AJV `allErrors`); a failed `anyOf`/`oneOf` comes with the errors of its branches.
 */
export function validateDocument(schema: ValidatedSchema, document: unknown): SchemaError[] {
  const fn = mainFunction(schema);
  if (fn(document)) return [];
  const errors = (fn.errors ?? []) as RawError[];
  fn.errors = null;
  return errors.map(toSchemaError);
}

/** {@link validateDocument} against the provisioning request schema. */
export function validateRequest(document: unknown): SchemaError[] {
  return validateDocument('provisioningRequest', document);
}

/** {@link validateDocument} against the data product schema. */
export function validateProduct(document: unknown): SchemaError[] {
  return validateDocument('dataProduct', document);
}

/** A product the schema accepts, in the place of a request's own while its other members are validated. */
const STAND_IN_PRODUCT = {
  apiVersion: 'v1.0.0',
  kind: 'DataProduct',
  id: '00000000-0000-4000-8000-000000000000',
  status: 'draft',
};

/** The errors of a request's members but its product, by its contracts: with the request they were found in. */
const othersErrors = new WeakMap<object, { document: Record<string, unknown>; errors: SchemaError[] }>();

/**
 * {@link validateRequest}'s errors, found in parts: the product alone (the request's schema holds the
 * product's very schema), and the other members once for as long as they are the same objects. A
 * keystroke in the product validates the product, not the request's contracts again.
 */
export function validateRequestInParts(document: unknown): SchemaError[] {
  const doc = document as Record<string, unknown> | null;
  const contracts = doc?.contracts;
  if (typeof doc?.product !== 'object' || doc.product === null || typeof contracts !== 'object' || contracts === null) {
    return validateRequest(document);
  }
  const product = validateProduct(doc.product).map((e) => ({ ...e, path: `/product${e.path}` }));
  const cached = othersErrors.get(contracts);
  const same = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (key !== 'product' && a[key] !== b[key]) return false;
    return true;
  };
  if (cached !== undefined && same(cached.document, doc)) return [...product, ...cached.errors];
  const errors = validateRequest({ ...doc, product: STAND_IN_PRODUCT });
  othersErrors.set(contracts, { document: doc, errors });
  return [...product, ...errors];
}
