import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { memo, useCallback, useMemo, useState } from 'react';
import type { DataProduct, Finding, InfrastructureSpec } from '../../bindings';
import { FieldErrorTemplate } from '../product-form/FieldErrorTemplate';
import type { FormContext } from '../product-form/FieldErrorTemplate';
import { dataProductUi, titlesFor } from '../product-form/rjsf/dataProductUi';
import { findingsToErrorSchema, parsePointer, toPointer } from '../product-form/rjsf/pointer';
import { dataProductFormSchema } from '../product-form/rjsf/schema';
import { createNoEvalValidator } from '../product-form/rjsf/validator';
// Owned by the Rust side (generated from the model types); never copy it into ui/.
import requestJson from '../../../../schemas/provisioning-request.schema.json';

const templates = { FieldErrorTemplate };
// schemars wraps `$ref`s that carry a description in a one-element `allOf`; without this
// rjsf 6 drops the values of such enum fields (apiVersion, kind, status) from the form data.
const defaultFormStateBehavior = { allOf: 'populateDefaults' } as const;

/** Findings under `prefix` (a pointer into the request), re-rooted at it for an rjsf form of that part. */
function findingsUnder(findings: readonly Finding[], prefix: string[]): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const t = parsePointer(f.path);
    if (prefix.every((p, i) => t[i] === p)) out.push({ ...f, path: toPointer(t.slice(prefix.length)) });
  }
  return out;
}

const productValidator = createNoEvalValidator<DataProduct, FormContext>();

function Nothing() {
  return null;
}

/** The product's own fields (ports have their step); the domain suggests the user's own domains. */
const productUi: UiSchema<DataProduct, RJSFSchema> = {
  ...dataProductUi,
  'ui:title': 'Product',
  // The ports have a step of their own.
  outputPorts: { 'ui:field': Nothing },
  domain: {
    ...(dataProductUi.domain as object),
    'ui:options': { inputType: 'text' },
  },
};

/**
 * `pick(findings)`, the same array as long as its content is: rjsf works out its whole form again
 * when its errors or context change, so a check that answers with the same findings costs nothing.
 */
function useFindingsOf(findings: readonly Finding[], pick: (all: readonly Finding[]) => Finding[]): Finding[] {
  const key = useMemo(() => JSON.stringify(pick(findings)), [findings, pick]);
  return useMemo(() => JSON.parse(key) as Finding[], [key]);
}

/**
 * The props that make an rjsf form keep its own data (its uncontrolled mode, `initialFormData`):
 * a keystroke is worked out once, by the form, and not a second time when the wizard hands back
 * what the form reported (rjsf derives its whole state again from a changed `formData` prop: its
 * defaults, its resolved schema, a deep comparison). A value the form did not report (an import,
 * an input port picked beside it) starts the form again from that value.
 */
function useOwnData<T extends object>(value: T, onChange: (value: T) => void) {
  const [reported] = useState(() => new WeakSet<T>());
  const [start, setStart] = useState({ value, generation: 0 });
  if (value !== start.value && !reported.has(value)) {
    // Derived from the props during the render, as React advises: the form starts again at once.
    setStart({ value, generation: start.generation + 1 });
  }
  const onFormChange = useCallback(
    (e: IChangeEvent<T, RJSFSchema, FormContext>) => {
      if (!e.formData) return;
      reported.add(e.formData);
      onChange(e.formData);
    },
    [reported, onChange],
  );
  return { key: start.generation, initialFormData: start.value, onChange: onFormChange };
}

const productFindings = (findings: readonly Finding[]) =>
  findingsUnder(findings, ['product']).filter((f) => !f.path.startsWith('/outputPorts'));
const infrastructureFindings = (findings: readonly Finding[]) => findingsUnder(findings, ['infrastructure']);

/**
 * Step “Product”: the product's fields, generated from the ODPS schema (rjsf) with our hints. Drawn
 * again only when its product, its findings or its domains change (not when the draft is saved).
 */
export const ProductStep = memo(function ProductStep({
  product,
  findings,
  domains,
  disabled,
  onChange,
}: {
  product: DataProduct;
  findings: readonly Finding[];
  domains: readonly string[];
  disabled: boolean;
  onChange: (product: DataProduct) => void;
}) {
  const mine = useFindingsOf(findings, productFindings);
  // A finding on the whole product is in the step's list: on the form's root it would mark every field.
  const extraErrors = useMemo(() => findingsToErrorSchema<DataProduct>(mine.filter((f) => f.path !== '')), [mine]);
  const formContext = useMemo<FormContext>(() => ({ findings: mine }), [mine]);
  const uiSchema = useMemo<UiSchema<DataProduct, RJSFSchema>>(
    () =>
      domains.length > 0
        ? {
            ...productUi,
            domain: {
              ...(productUi.domain as object),
              'ui:help': `Your domains: ${domains.join(', ')}.`,
            },
          }
        : productUi,
    [domains],
  );
  const { key, ...data } = useOwnData(product, onChange);
  return (
    <Form<DataProduct, RJSFSchema, FormContext>
      key={key}
      {...data}
      className="product-form"
      schema={dataProductFormSchema}
      uiSchema={uiSchema}
      validator={productValidator}
      formContext={formContext}
      templates={templates}
      extraErrors={extraErrors}
      showErrorList={false}
      experimental_defaultFormStateBehavior={defaultFormStateBehavior}
      noHtml5Validate
      noValidate
      disabled={disabled}
    />
  );
});

const root = requestJson as RJSFSchema;
const infrastructureSchema: RJSFSchema = {
  ...(root.definitions?.InfrastructureSpec as RJSFSchema),
  title: 'Infrastructure',
  description: 'The platform’s standard for a data product; change any choice this product needs otherwise.',
  definitions: root.definitions,
};
const infrastructureUi = {
  ...titlesFor(infrastructureSchema, infrastructureSchema),
  'ui:submitButtonOptions': { norender: true },
} as UiSchema<InfrastructureSpec, RJSFSchema>;
const infrastructureValidator = createNoEvalValidator<InfrastructureSpec, FormContext>();

/** Step “Infrastructure”: each section of the platform's standard, editable (rjsf over its schema). */
export const InfrastructureStep = memo(function InfrastructureStep({
  infrastructure,
  findings,
  disabled,
  onChange,
}: {
  infrastructure: InfrastructureSpec;
  findings: readonly Finding[];
  disabled: boolean;
  onChange: (infrastructure: InfrastructureSpec) => void;
}) {
  const mine = useFindingsOf(findings, infrastructureFindings);
  const extraErrors = useMemo(
    () => findingsToErrorSchema<InfrastructureSpec>(mine.filter((f) => f.path !== '')),
    [mine],
  );
  const formContext = useMemo<FormContext>(() => ({ findings: mine }), [mine]);
  const { key, ...data } = useOwnData(infrastructure, onChange);
  return (
    <Form<InfrastructureSpec, RJSFSchema, FormContext>
      key={key}
      {...data}
      className="product-form"
      idPrefix="root_infrastructure"
      schema={infrastructureSchema}
      uiSchema={infrastructureUi}
      validator={infrastructureValidator}
      formContext={formContext}
      templates={templates}
      extraErrors={extraErrors}
      showErrorList={false}
      experimental_defaultFormStateBehavior={defaultFormStateBehavior}
      noHtml5Validate
      noValidate
      disabled={disabled}
    />
  );
});
