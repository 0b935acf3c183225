import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DataProduct, Finding, InfrastructureSpec } from '../../bindings';
import { FieldErrorTemplate } from '../product-form/FieldErrorTemplate';
import type { FormContext } from '../product-form/FieldErrorTemplate';
import { dataProductUi, titlesFor } from '../product-form/rjsf/dataProductUi';
import { findingsToErrorSchema, parsePointer, toPointer } from '../product-form/rjsf/pointer';
import { isEmptyValue } from '../product-form/rjsf/document';
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

const productValidator = createNoEvalValidator<object, FormContext>();

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

const infrastructureFindings = (findings: readonly Finding[]) => findingsUnder(findings, ['infrastructure']);

/**
 * A part of the product's form: an rjsf form of its own over one of the product's objects or arrays
 * (its description, its team…) or over its plain fields (name, id, status…). A keystroke is worked
 * out by the form of its part alone: rjsf derives a form's whole state again at each change (its
 * defaults, its resolved schema, a render of every field), which over the whole product was most
 * of a keystroke's time in the window.
 */
export interface ProductPart {
  /** The product's member this part edits whole, or `null` for the plain fields. */
  member: string | null;
  /** The product's members it holds. */
  keys: readonly string[];
  schema: RJSFSchema;
  ui: UiSchema<object, RJSFSchema>;
  /** The id of its root: its fields keep the ids they have in one form of the product (`root_team_members`). */
  idPrefix: string;
}

const HIDE_SUBMIT = { 'ui:submitButtonOptions': { norender: true } };

/**
 * The parts of the product's form, in the order its hints give (`ui:order`): first its plain
 * fields, as one form, then each of its objects and arrays but the output ports (their own step).
 */
export function productParts(schema: RJSFSchema = dataProductFormSchema): ProductPart[] {
  const properties = (schema.properties ?? {}) as Record<string, RJSFSchema>;
  const schemaOf = (keys: readonly string[]) =>
    Object.fromEntries(keys.map((key) => [key, properties[key] as RJSFSchema]));
  const hinted = (productUi['ui:order'] ?? []).filter((key) => key !== '*' && key in properties);
  const ordered = [...hinted, ...Object.keys(properties).filter((key) => !hinted.includes(key))];
  const plain = ordered.filter((key) => properties[key]?.type !== 'object' && properties[key]?.type !== 'array');
  const pick = <T,>(from: Record<string, T>, keys: readonly string[]) =>
    Object.fromEntries(keys.filter((key) => key in from).map((key) => [key, from[key]]));
  const ui = productUi as Record<string, unknown>;
  const parts: ProductPart[] = [
    {
      member: null,
      keys: plain,
      schema: {
        type: 'object',
        properties: schemaOf(plain),
        required: (schema.required ?? []).filter((key) => plain.includes(key)),
        additionalProperties: false,
      },
      ui: { ...pick(ui, plain), 'ui:order': [...plain], ...HIDE_SUBMIT } as UiSchema<object, RJSFSchema>,
      idPrefix: 'root',
    },
  ];
  for (const key of ordered) {
    if (plain.includes(key) || key === 'outputPorts') continue;
    parts.push({
      member: key,
      keys: [key],
      schema: properties[key] as RJSFSchema,
      ui: { ...(ui[key] as object), ...HIDE_SUBMIT } as UiSchema<object, RJSFSchema>,
      idPrefix: `root_${key}`,
    });
  }
  return parts;
}

const PARTS = productParts();

/** What `part` shows of `product`. */
function partValue(part: ProductPart, product: DataProduct): unknown {
  const members = product as unknown as Record<string, unknown>;
  if (part.member !== null) return members[part.member];
  return Object.fromEntries(part.keys.filter((key) => members[key] !== undefined).map((key) => [key, members[key]]));
}

/** `product` with what `part`'s form reported (`value`): a member it left empty is removed. */
export function withPart(product: DataProduct, part: ProductPart, value: unknown): DataProduct {
  const next = { ...product } as Record<string, unknown>;
  const set = (key: string, v: unknown) => {
    if (v === undefined) delete next[key];
    else next[key] = v;
  };
  if (part.member !== null) set(part.member, value);
  else for (const key of part.keys) set(key, (value as Record<string, unknown> | undefined)?.[key]);
  return next as unknown as DataProduct;
}

/** The findings of `part`, re-rooted at it (a finding on the whole product is in the step's list). */
function partFindings(part: ProductPart, findings: readonly Finding[]): Finding[] {
  if (part.member !== null) return findingsUnder(findings, ['product', part.member]);
  return findingsUnder(findings, ['product']).filter((f) => part.keys.includes(parsePointer(f.path)[0] ?? ''));
}

/**
 * One part of the product's form. Drawn again only when what it shows, its findings or its hints
 * change: a keystroke elsewhere in the product leaves it as it is.
 */
const ProductPartForm = memo(function ProductPartForm({
  part,
  value,
  findings,
  ui,
  disabled,
  onChange,
}: {
  part: ProductPart;
  value: unknown;
  findings: readonly Finding[];
  ui: UiSchema<object, RJSFSchema>;
  disabled: boolean;
  onChange: (part: ProductPart, value: unknown) => void;
}) {
  const extraErrors = useMemo(
    // The plain fields' root is the product: a finding there is in the step's list, not on every field.
    () => findingsToErrorSchema<unknown>(part.member === null ? findings.filter((f) => f.path !== '') : findings),
    [part, findings],
  );
  const formContext = useMemo<FormContext>(() => ({ findings }), [findings]);
  const report = useCallback((v: object) => onChange(part, v), [onChange, part]);
  const { key, ...data } = useOwnData(value as object, report);
  return (
    <Form<object, RJSFSchema, FormContext>
      key={key}
      {...data}
      className={`product-part${part.member === null ? ' product-part-plain' : ''}`}
      idPrefix={part.idPrefix}
      schema={part.schema}
      uiSchema={ui}
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

/**
 * Step “Product”: the product's fields, generated from the ODPS schema (rjsf) with our hints, as a
 * form per part of the product (`productParts`). Each part is drawn again only when its value, its
 * findings or its hints change (not when the draft is saved, nor for a keystroke in another part).
 * `onChange` gets the change to make to the latest product.
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
  onChange: (update: (product: DataProduct) => DataProduct) => void;
}) {
  // Each part's findings, the same array as long as their content is (see `useFindingsOf`).
  const [shown] = useState(() => new Map<ProductPart, { key: string; findings: Finding[] }>());
  const parts = useMemo(
    () =>
      PARTS.map((part) => {
        const mine = partFindings(part, findings);
        const key = JSON.stringify(mine);
        const before = shown.get(part);
        if (before?.key === key) return before.findings;
        shown.set(part, { key, findings: mine });
        return mine;
      }),
    [findings, shown],
  );
  // The plain fields' value handed to their form: the same object while they hold the same values
  // (the one the form last reported, or the one made last), so that the form is not started again.
  const [plainValues] = useState(() => new Map<ProductPart, Record<string, unknown>>());
  const valueOf = (part: ProductPart) => {
    if (part.member !== null) return partValue(part, product);
    const last = plainValues.get(part);
    const members = product as unknown as Record<string, unknown>;
    if (last !== undefined && part.keys.every((key) => last[key] === members[key])) return last;
    const value = partValue(part, product) as Record<string, unknown>;
    plainValues.set(part, value);
    return value;
  };
  const plainUi = useMemo(() => {
    const plain = PARTS[0] as ProductPart;
    if (domains.length === 0) return plain.ui;
    const domain = (plain.ui as Record<string, object>).domain;
    return { ...plain.ui, domain: { ...domain, 'ui:help': `Your domains: ${domains.join(', ')}.` } };
  }, [domains]);
  // The product on screen, for the parts' reports (their callback keeps its identity).
  const productRef = useRef(product);
  useLayoutEffect(() => {
    productRef.current = product;
  });
  const change = useCallback(
    (part: ProductPart, value: unknown) => {
      if (part.member === null) plainValues.set(part, value as Record<string, unknown>);
      // What a part's form fills in by itself as it starts, for a member the product does not hold
      // (an empty list, an empty object), changes nothing: the product is left as it is.
      const members = productRef.current as unknown as Record<string, unknown>;
      if (part.member !== null && members[part.member] === undefined && isEmptyValue(value)) return;
      onChange((p) => withPart(p, part, value));
    },
    [onChange, plainValues],
  );
  return (
    <div className="product-form" data-testid="product-fields">
      <fieldset>
        <legend>Product</legend>
        <p className="field-description">{productUi['ui:description'] as string}</p>
        {PARTS.map((part, i) => (
          <ProductPartForm
            key={part.idPrefix}
            part={part}
            value={valueOf(part)}
            findings={parts[i] ?? []}
            ui={i === 0 ? plainUi : part.ui}
            disabled={disabled}
            onChange={change}
          />
        ))}
      </fieldset>
    </div>
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
