import { Fragment, useState } from 'react';
import type { LogicalType, SchemaProperty } from '../../bindings';
import { CheckField, FieldMessages, ParsedField, SelectField, TextField, compact, optional } from './fields';
import { MASKING_RULES, columnNamesFrom, customProperty, move, newColumn, withCustomProperty } from './model';
import type { FindingIndex } from './model';

const LOGICAL_TYPES: readonly LogicalType[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'timestamp',
  'time',
  'object',
  'array',
];

/** The physical type a column of a SQL port gets for each logical type, unless the owner says otherwise. */
const PHYSICAL_FOR: Record<LogicalType, string> = {
  string: 'TEXT',
  integer: 'INTEGER',
  number: 'REAL',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  time: 'TIME',
  object: 'JSON',
  array: 'JSON',
};

export const CLASSIFICATIONS = ['', 'public', 'internal', 'restricted', 'confidential', 'pii'] as const;

/** Examples as typed: comma-separated; numbers stay numbers. */
function examplesFrom(text: string): unknown[] | undefined {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s));
  return items.length > 0 ? items : undefined;
}

function examplesText(examples: unknown[] | undefined): string {
  return (examples ?? []).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(', ');
}

/**
 * The columns of one table: one row each, with name, logical and physical type, required, unique,
 * primary key, classification, description and examples. Columns are added one by one or from a
 * pasted list of names, duplicated, moved up and down and removed; every cell names its column for
 * assistive technology ("Name of column 3").
 */
export function ColumnEditor({
  path,
  tableName,
  columns,
  index,
  onChange,
}: {
  /** The pointer of the table's `properties`. */
  path: string;
  tableName: string;
  columns: readonly SchemaProperty[];
  index: FindingIndex;
  /** How to change the columns, from the latest ones. */
  onChange: (update: (columns: SchemaProperty[]) => SchemaProperty[]) => void;
}) {
  const [pasting, setPasting] = useState(false);
  const [pasted, setPasted] = useState('');

  const set = (i: number, update: (column: SchemaProperty) => SchemaProperty) =>
    onChange((latest) => {
      const next = [...latest];
      const current = next[i];
      if (current) next[i] = compact(update(current));
      return next;
    });

  const addPasted = () => {
    const names = columnNamesFrom(pasted);
    if (names.length === 0) return;
    onChange((latest) => [...latest, ...names.map((n) => newColumn(n))]);
    setPasted('');
    setPasting(false);
  };

  return (
    <div className="column-editor">
      {/* Only the grid scrolls sideways: the buttons under it stay where a pointer can reach them. */}
      <div className="column-grid-scroll">
        <table className="column-grid" aria-label={`Columns of ${tableName || 'the table'}`}>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col" className="col-name">
                Name
              </th>
              <th scope="col" className="col-type">
                Logical type
              </th>
              <th scope="col" className="col-type">
                Physical type
              </th>
              <th scope="col" title="Required">
                Req.
              </th>
              <th scope="col" title="Unique">
                Uniq.
              </th>
              <th scope="col" title="Primary key">
                PK
              </th>
              <th scope="col" className="col-type">
                Classification
              </th>
              <th scope="col" className="col-text">
                Description
              </th>
              <th scope="col" className="col-text">
                Examples
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {columns.map((column, i) => {
              const at = `${path}/${i}`;
              const n = i + 1;
              const rowFindings = index.under(at);
              return (
                <Fragment key={i}>
                  <tr data-testid="column-row" className={rowFindings.length > 0 ? 'has-findings' : undefined}>
                    <td className="column-number">{n}</td>
                    <td>
                      <TextField
                        path={`${at}/name`}
                        label={`Name of column ${n}`}
                        index={index}
                        quiet
                        value={column.name}
                        onChange={(name) => set(i, (c) => ({ ...c, name }))}
                      />
                    </td>
                    <td>
                      <SelectField
                        path={`${at}/logicalType`}
                        label={`Logical type of column ${n}`}
                        index={index}
                        quiet
                        value={column.logicalType}
                        options={LOGICAL_TYPES.map((t) => [t, t] as const)}
                        onChange={(t) => {
                          const logicalType = t as LogicalType;
                          set(i, (c) => {
                            // The physical type follows the logical one while it is still the default.
                            const followed =
                              !c.physicalType || c.physicalType === PHYSICAL_FOR[c.logicalType ?? 'string'];
                            return {
                              ...c,
                              logicalType,
                              physicalType: followed ? PHYSICAL_FOR[logicalType] : c.physicalType,
                            };
                          });
                        }}
                      />
                    </td>
                    <td>
                      <TextField
                        path={`${at}/physicalType`}
                        label={`Physical type of column ${n}`}
                        index={index}
                        quiet
                        value={column.physicalType}
                        onChange={(v) => set(i, (c) => ({ ...c, physicalType: optional(v) }))}
                      />
                    </td>
                    <td>
                      <CheckField
                        path={`${at}/required`}
                        label={`Column ${n} is required`}
                        index={index}
                        quiet
                        checked={column.required}
                        onChange={(v) => set(i, (c) => ({ ...c, required: v || undefined }))}
                      />
                    </td>
                    <td>
                      <CheckField
                        path={`${at}/unique`}
                        label={`Column ${n} is unique`}
                        index={index}
                        quiet
                        checked={column.unique}
                        onChange={(v) => set(i, (c) => ({ ...c, unique: v || undefined }))}
                      />
                    </td>
                    <td>
                      <CheckField
                        path={`${at}/primaryKey`}
                        label={`Column ${n} is the primary key`}
                        index={index}
                        quiet
                        checked={column.primaryKey}
                        onChange={(v) =>
                          set(i, (c) => ({ ...c, primaryKey: v || undefined, required: v ? true : c.required }))
                        }
                      />
                    </td>
                    <td>
                      <SelectField
                        path={`${at}/classification`}
                        label={`Classification of column ${n}`}
                        index={index}
                        quiet
                        value={column.classification}
                        options={[
                          ...CLASSIFICATIONS.map((c) => [c, c || '—'] as const),
                          ...(column.classification &&
                          !(CLASSIFICATIONS as readonly string[]).includes(column.classification)
                            ? [[column.classification, column.classification] as const]
                            : []),
                        ]}
                        onChange={(v) => set(i, (c) => ({ ...c, classification: optional(v) }))}
                      />
                      {/pii/i.test(column.classification ?? '') ? (
                        <MaskingRule at={at} n={n} column={column} index={index} onChange={(c) => set(i, () => c)} />
                      ) : null}
                    </td>
                    <td>
                      <TextField
                        path={`${at}/description`}
                        label={`Description of column ${n}`}
                        index={index}
                        quiet
                        value={column.description}
                        onChange={(v) => set(i, (c) => ({ ...c, description: optional(v) }))}
                      />
                    </td>
                    <td>
                      <ParsedField
                        path={`${at}/examples`}
                        label={`Examples of column ${n}`}
                        index={index}
                        quiet
                        placeholder="a, b, 3"
                        value={column.examples}
                        format={examplesText}
                        parse={examplesFrom}
                        onChange={(examples) => set(i, (c) => ({ ...c, examples }))}
                      />
                    </td>
                    <td className="column-actions">
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        aria-label={`Move column ${n} up`}
                        disabled={i === 0}
                        onClick={() => onChange((latest) => move(latest, i, i - 1))}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        aria-label={`Move column ${n} down`}
                        disabled={i === columns.length - 1}
                        onClick={() => onChange((latest) => move(latest, i, i + 1))}
                      >
                        ↓
                      </button>
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        aria-label={`Duplicate column ${n}`}
                        onClick={() => {
                          onChange((latest) => {
                            const next = [...latest];
                            const copied = latest[i];
                            if (copied) next.splice(i + 1, 0, { ...copied, name: `${copied.name}_copy` });
                            return next;
                          });
                        }}
                      >
                        ⧉
                      </button>
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        aria-label={`Remove column ${n}`}
                        onClick={() => onChange((latest) => latest.filter((_, j) => j !== i))}
                      >
                        ✕
                      </button>
                    </td>
                  </tr>
                  {rowFindings.length > 0 ? (
                    <tr className="row-findings-row">
                      <td />
                      <td colSpan={10}>
                        <RowFindings at={at} index={index} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {columns.length === 0 ? <p className="empty">No columns yet.</p> : null}
      <div className="editor-actions">
        <button type="button" className="btn btn-small" onClick={() => onChange((latest) => [...latest, newColumn()])}>
          Add column
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => setPasting((p) => !p)}
          aria-expanded={pasting}
        >
          Paste column names
        </button>
      </div>
      {pasting ? (
        <div className="paste-columns">
          <label htmlFor={`${path}-paste`}>Column names, one per line or separated by commas</label>
          <textarea
            id={`${path}-paste`}
            className="form-control"
            rows={4}
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
          />
          <button type="button" className="btn btn-small" onClick={addPasted}>
            Add {columnNamesFrom(pasted).length || ''} columns
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** A row's findings, each under the cell it names. */
function RowFindings({ at, index }: { at: string; index: FindingIndex }) {
  const fields = [
    'name',
    'logicalType',
    'physicalType',
    'required',
    'unique',
    'primaryKey',
    'classification',
    'description',
    'examples',
    'customProperties',
  ];
  const atRow = index.at(at);
  return (
    <div className="row-findings">
      {atRow.length > 0 ? <FieldMessages path={at} findings={atRow} /> : null}
      {fields.map((f) => {
        const here = index.at(`${at}/${f}`);
        return here.length > 0 ? <FieldMessages key={f} path={`${at}/${f}`} findings={here} /> : null;
      })}
    </div>
  );
}

/** A PII column's `maskingRule` custom property, which the platform's global pack requires. */
function MaskingRule({
  at,
  n,
  column,
  index,
  onChange,
}: {
  at: string;
  n: number;
  column: SchemaProperty;
  index: FindingIndex;
  onChange: (column: SchemaProperty) => void;
}) {
  const found = customProperty(column, 'maskingRule');
  const value = typeof found?.value === 'string' ? found.value : '';
  return (
    <SelectField
      path={found ? `${at}/customProperties/${found.index}/value` : `${at}/customProperties`}
      label={`Masking rule of column ${n}`}
      index={index}
      quiet
      value={value}
      options={[['', 'Masking…'], ...MASKING_RULES.map((r) => [r, r] as const)]}
      onChange={(v) => onChange(withCustomProperty(column, 'maskingRule', v))}
    />
  );
}
