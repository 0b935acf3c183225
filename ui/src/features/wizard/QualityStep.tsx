import { useState } from 'react';
import type { DataContract, ProvisioningRequest, QualityRule, SchemaObject } from '../../bindings';
import { PortPicker, selectedContract } from './ContractStep';
import { FieldMessages, ParsedField, SelectField, TextField, compact, optional } from './fields';
import { OPERATORS, QUALITY_METRICS, newRule, operatorOf, updateContract, updateTable, withOperator } from './model';
import type { FindingIndex, OperatorKey, RequestUpdate } from './model';

const DIMENSIONS = [
  '',
  'accuracy',
  'completeness',
  'conformity',
  'consistency',
  'coverage',
  'timeliness',
  'uniqueness',
];
const UNITS = [
  ['', '—'],
  ['rows', 'rows'],
  ['percent', 'percent'],
] as const;

function numberOr(text: string): unknown {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/**
 * One quality rule: a metric of the ODCS library with its operator, value and unit, or SQL with the
 * `${table}` and `${column}` placeholders compared the same way.
 */
export function RuleEditor({
  path,
  label,
  rule,
  level,
  index,
  onChange,
  onRemove,
}: {
  path: string;
  /** Names the rule for assistive technology: "rule 1 of orders.id". */
  label: string;
  rule: QualityRule;
  level: 'table' | 'column';
  index: FindingIndex;
  onChange: (rule: QualityRule) => void;
  onRemove: () => void;
}) {
  const op = operatorOf(rule) ?? { key: 'mustBe' as OperatorKey, value: undefined };
  const between = op.key === 'mustBeBetween' || op.key === 'mustNotBeBetween';
  const pair = Array.isArray(op.value) ? (op.value as unknown[]) : [undefined, undefined];
  const metrics = QUALITY_METRICS.filter((m) => m.level === 'both' || m.level === level);
  const type = rule.type ?? (rule.query ? 'sql' : 'library');
  const text = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');

  return (
    <div className="rule-editor" data-testid="rule-editor" role="group" aria-label={label}>
      <SelectField
        path={`${path}/type`}
        label={`Kind of ${label}`}
        index={index}
        value={type}
        options={[
          ['library', 'Library metric'],
          ['sql', 'SQL'],
        ]}
        onChange={(kind) => {
          const fresh = newRule(kind === 'sql' ? 'sql' : 'library', level);
          onChange(compact({ ...fresh, name: rule.name, description: rule.description }));
        }}
      />
      {type === 'sql' ? (
        <TextField
          path={`${path}/query`}
          label={`Query of ${label}`}
          index={index}
          multiline
          className="rule-query"
          value={rule.query}
          onChange={(query) => onChange({ ...rule, query })}
        />
      ) : (
        <SelectField
          path={`${path}/metric`}
          label={`Metric of ${label}`}
          index={index}
          value={rule.metric}
          options={metrics.map((m) => [m.metric, m.label] as const)}
          onChange={(metric) => onChange({ ...rule, metric: metric as QualityRule['metric'] })}
        />
      )}
      <SelectField
        path={`${path}/${op.key}`}
        label={`Operator of ${label}`}
        index={index}
        quiet
        value={op.key}
        options={OPERATORS.map((o) => [o.key, o.label] as const)}
        onChange={(key) => {
          const k = key as OperatorKey;
          const twoValues = k === 'mustBeBetween' || k === 'mustNotBeBetween';
          const first = Array.isArray(op.value) ? (op.value as unknown[])[0] : op.value;
          onChange(withOperator(rule, k, twoValues ? [first ?? 0, first ?? 0] : (first ?? 0)));
        }}
      />
      {between ? (
        <>
          <ParsedField
            path={`${path}/${op.key}/0`}
            label={`Lower bound of ${label}`}
            index={index}
            value={pair[0]}
            format={text}
            parse={numberOr}
            onChange={(v) => onChange(withOperator(rule, op.key, [v, pair[1]]))}
          />
          <ParsedField
            path={`${path}/${op.key}/1`}
            label={`Upper bound of ${label}`}
            index={index}
            value={pair[1]}
            format={text}
            parse={numberOr}
            onChange={(v) => onChange(withOperator(rule, op.key, [pair[0], v]))}
          />
        </>
      ) : (
        <ParsedField
          path={`${path}/${op.key}`}
          label={`Value of ${label}`}
          index={index}
          value={op.value}
          format={text}
          parse={numberOr}
          onChange={(v) => onChange(withOperator(rule, op.key, v))}
        />
      )}
      <SelectField
        path={`${path}/unit`}
        label={`Unit of ${label}`}
        index={index}
        value={rule.unit}
        options={UNITS}
        onChange={(v) => onChange(compact({ ...rule, unit: optional(v) }))}
      />
      <SelectField
        path={`${path}/dimension`}
        label={`Dimension of ${label}`}
        index={index}
        value={rule.dimension}
        options={DIMENSIONS.map((d) => [d, d || '—'] as const)}
        onChange={(v) =>
          onChange(compact({ ...rule, dimension: (optional(v) as QualityRule['dimension']) ?? undefined }))
        }
      />
      <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove ${label}`} onClick={onRemove}>
        ✕
      </button>
      <FieldMessages path={path} findings={index.at(path)} />
    </div>
  );
}

function RuleList({
  path,
  owner,
  rules,
  level,
  index,
  onChange,
}: {
  path: string;
  owner: string;
  rules: readonly QualityRule[];
  level: 'table' | 'column';
  index: FindingIndex;
  onChange: (rules: QualityRule[] | undefined) => void;
}) {
  return (
    <>
      {rules.map((rule, r) => (
        <RuleEditor
          key={r}
          path={`${path}/${r}`}
          label={`rule ${r + 1} of ${owner}`}
          rule={rule}
          level={level}
          index={index}
          onChange={(next) => {
            const all = [...rules];
            all[r] = next;
            onChange(all);
          }}
          onRemove={() => {
            const all = rules.filter((_, j) => j !== r);
            onChange(all.length > 0 ? all : undefined);
          }}
        />
      ))}
    </>
  );
}

function TableRules({
  base,
  t,
  table,
  index,
  change,
}: {
  base: string;
  t: number;
  table: SchemaObject;
  index: FindingIndex;
  change: (update: (c: DataContract) => DataContract) => void;
}) {
  const columns = table.properties ?? [];
  const [column, setColumn] = useState('');
  const at = `${base}/schema/${t}`;
  const tableName = table.name || `table ${t + 1}`;
  return (
    <section className="table-card" aria-label={`Quality of ${tableName}`}>
      <h4>{tableName}</h4>
      <FieldMessages path={`${at}/quality`} findings={index.at(`${at}/quality`)} />
      <RuleList
        path={`${at}/quality`}
        owner={tableName}
        rules={table.quality ?? []}
        level="table"
        index={index}
        onChange={(quality) => change((c) => updateTable(c, t, (o) => compact({ ...o, quality })))}
      />
      {columns.map((col, k) =>
        col.quality && col.quality.length > 0 ? (
          <div key={k} className="column-rules">
            <h5>
              {tableName}.{col.name}
            </h5>
            <RuleList
              path={`${at}/properties/${k}/quality`}
              owner={`${tableName}.${col.name}`}
              rules={col.quality}
              level="column"
              index={index}
              onChange={(quality) =>
                change((c) =>
                  updateTable(c, t, (o) => {
                    const properties = [...(o.properties ?? [])];
                    const p = properties[k];
                    if (p) properties[k] = compact({ ...p, quality });
                    return { ...o, properties };
                  }),
                )
              }
            />
          </div>
        ) : null,
      )}
      <div className="editor-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            change((c) =>
              updateTable(c, t, (o) => ({ ...o, quality: [...(o.quality ?? []), newRule('library', 'table')] })),
            )
          }
        >
          Add rule to {tableName}
        </button>
        {columns.length > 0 ? (
          <>
            <select
              className="form-control"
              aria-label={`Column of ${tableName} for a new rule`}
              value={column}
              onChange={(e) => setColumn(e.target.value)}
            >
              <option value="">Pick a column…</option>
              {columns.map((c, k) => (
                <option key={k} value={String(k)}>
                  {c.name || `column ${k + 1}`}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-small"
              disabled={column === ''}
              onClick={() => {
                const k = Number(column);
                change((c) =>
                  updateTable(c, t, (o) => {
                    const properties = [...(o.properties ?? [])];
                    const p = properties[k];
                    if (p) properties[k] = { ...p, quality: [...(p.quality ?? []), newRule('library', 'column')] };
                    return { ...o, properties };
                  }),
                );
              }}
            >
              Add rule to column
            </button>
          </>
        ) : null}
      </div>
    </section>
  );
}

/** Quality rules per table and per column of the selected port's contract. */
export function QualityStep({
  request,
  port,
  onPort,
  index,
  onChange,
}: {
  request: ProvisioningRequest;
  port: number;
  onPort: (port: number) => void;
  index: FindingIndex;
  onChange: (update: RequestUpdate) => void;
}) {
  const selected = selectedContract(request, port);
  if (typeof selected === 'string') return <p className="empty">{selected}</p>;
  const { contract, index: ci, portName } = selected;
  const base = `/contracts/${ci}`;
  const tables = contract.schema ?? [];
  const change = (update: (c: DataContract) => DataContract) => onChange((r) => updateContract(r, ci, update));
  return (
    <div className="wizard-step-body">
      <PortPicker request={request} selected={port} onSelect={onPort} index={index} />
      <h3 className="step-subtitle">Quality of “{portName || 'the port'}”</h3>
      <p className="step-intro">
        Rules run on the port's data after each provisioning and on schedule. SQL rules may use{' '}
        <code>{'${table}'}</code> and <code>{'${column}'}</code>.
      </p>
      {tables.length === 0 ? <p className="empty">Describe the port's tables first (step “Contract”).</p> : null}
      {tables.map((table, t) => (
        <TableRules key={t} base={base} t={t} table={table} index={index} change={change} />
      ))}
    </div>
  );
}
