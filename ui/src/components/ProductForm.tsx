import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import { useMemo, useState } from 'react';
import type { DataProduct, Finding, SaveOutcome } from '../bindings';
import { createProduct, toIpcError } from '../ipc';
import type { IpcError } from '../ipc';
import { dataProductUi, newDataProductDefaults } from '../forms/dataProductUi';
import { toDocument } from '../forms/document';
import { findingsToErrorSchema } from '../forms/pointer';
import { dataProductSchema } from '../forms/schema';
import { createNoEvalValidator } from '../forms/validator';
import { ErrorBanner } from './ErrorBanner';
import { FieldErrorTemplate } from './FieldErrorTemplate';
import type { FormContext } from './FieldErrorTemplate';
import { FindingsSummary } from './FindingsSummary';

const templates = { FieldErrorTemplate };
const validator = createNoEvalValidator<DataProduct, FormContext>();
// schemars wraps `$ref`s that carry a description in a one-element `allOf`; without this
// rjsf 6 drops the values of such enum fields (apiVersion, kind, status) from the form data.
const defaultFormStateBehavior = { allOf: 'populateDefaults' } as const;

export function ProductForm({
  onSaved,
  onCancel,
}: {
  onSaved: (document: DataProduct, outcome: SaveOutcome) => void;
  onCancel: () => void;
}) {
  const [formData, setFormData] = useState<DataProduct>(newDataProductDefaults);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const extraErrors = useMemo(() => findingsToErrorSchema<DataProduct>(findings), [findings]);
  const formContext = useMemo<FormContext>(() => ({ findings }), [findings]);

  async function save(data: DataProduct) {
    const document = toDocument(data);
    setSaving(true);
    setError(null);
    try {
      const outcome = await createProduct(document);
      if (outcome.saved) {
        onSaved(document, outcome);
      } else {
        setFindings(outcome.findings);
      }
    } catch (e) {
      setError(toIpcError(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="form-heading" data-testid="product-form">
      <div className="panel-head">
        <h2 id="form-heading">New data product</h2>
        <button type="button" className="btn btn-ghost" onClick={onCancel} data-testid="close-form">
          Close
        </button>
      </div>
      {error ? (
        <ErrorBanner title="The product could not be saved." error={error} onDismiss={() => setError(null)} />
      ) : null}
      <FindingsSummary findings={findings} saved={false} />
      <Form<DataProduct, RJSFSchema, FormContext>
        className="product-form"
        schema={dataProductSchema}
        uiSchema={dataProductUi}
        validator={validator}
        formData={formData}
        formContext={formContext}
        templates={templates}
        extraErrors={extraErrors}
        showErrorList={false}
        experimental_defaultFormStateBehavior={defaultFormStateBehavior}
        noHtml5Validate
        noValidate
        disabled={saving}
        onChange={(e: IChangeEvent<DataProduct, RJSFSchema, FormContext>) => {
          if (e.formData) setFormData(e.formData);
        }}
        onSubmit={(e: IChangeEvent<DataProduct, RJSFSchema, FormContext>) => {
          void save(e.formData ?? formData);
        }}
      >
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="save-product" disabled={saving}>
            {saving ? 'Saving…' : 'Save product'}
          </button>
          <button type="button" className="btn" onClick={onCancel} data-testid="cancel-product">
            Cancel
          </button>
        </div>
      </Form>
    </section>
  );
}
