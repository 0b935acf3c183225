import type { DataContract, ProvisioningRequest, SlaProperty } from '../../bindings';
import { PortPicker, selectedContract } from './ContractStep';
import { FieldMessages, SelectField, TextField } from './fields';
import { updateContract } from './model';
import type { FindingIndex, RequestUpdate } from './model';

/** The SLA properties this step edits; `property` is ODCS's name (freshness is its `latency`). */
const ROWS = [
  {
    key: 'freshness',
    property: 'latency',
    label: 'Freshness',
    help: 'How old the newest row may be, measured on a date or timestamp column.',
    units: [
      ['h', 'hours'],
      ['d', 'days'],
    ],
    element: 'time',
  },
  {
    key: 'completeness',
    property: 'completeness',
    label: 'Completeness',
    help: 'The share of rows with a value in the column, in percent.',
    units: [['percent', 'percent']],
    element: 'any',
  },
  {
    key: 'retention',
    property: 'retention',
    label: 'Retention',
    help: 'How long the data is kept.',
    units: [
      ['d', 'days'],
      ['m', 'months'],
      ['y', 'years'],
    ],
    element: 'none',
  },
] as const;

function valueOf(sla: SlaProperty | undefined): string {
  const v: unknown = sla?.value;
  return typeof v === 'number' || typeof v === 'string' ? String(v) : '';
}

/** The `table.column` names of a contract, those with a time type only when `time`. */
function elements(contract: DataContract, time: boolean): string[] {
  const out: string[] = [];
  for (const table of contract.schema ?? []) {
    for (const col of table.properties ?? []) {
      if (!time || col.logicalType === 'date' || col.logicalType === 'timestamp') out.push(`${table.name}.${col.name}`);
    }
  }
  return out;
}

/** Freshness, completeness and retention of the selected port's contract, as its SLA properties. */
export function SlaStep({
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
  const base = `/contracts/${ci}/slaProperties`;
  const slas = contract.slaProperties ?? [];

  const set = (property: string, update: (sla: SlaProperty | undefined) => SlaProperty | undefined) => {
    onChange((r) =>
      updateContract(r, ci, (c) => {
        const list = [...(c.slaProperties ?? [])];
        const at = list.findIndex((s) => s.property.toLowerCase() === property);
        const next = update(at >= 0 ? list[at] : undefined);
        if (at >= 0) {
          if (next) list[at] = next;
          else list.splice(at, 1);
        } else if (next) {
          list.push(next);
        }
        const out: DataContract = { ...c, slaProperties: list };
        if (list.length === 0) delete out.slaProperties;
        return out;
      }),
    );
  };

  return (
    <div className="wizard-step-body">
      <PortPicker request={request} selected={port} onSelect={onPort} index={index} />
      <h3 className="step-subtitle">SLA of “{portName || 'the port'}”</h3>
      <FieldMessages path={base} findings={index.at(base)} />
      {ROWS.map((row) => {
        const at = slas.findIndex((s) => s.property.toLowerCase() === row.property);
        const sla = at >= 0 ? slas[at] : undefined;
        // A row not in the contract yet has no index: its fields get ids of their own.
        const path = at >= 0 ? `${base}/${at}` : `${base}/new-${row.key}`;
        const choices = row.element === 'none' ? [] : elements(contract, row.element === 'time');
        return (
          <fieldset key={row.key} className="sla-row" aria-label={row.label}>
            <legend>{row.label}</legend>
            <p className="field-help">{row.help}</p>
            <TextField
              path={`${path}/value`}
              label={`${row.label} target`}
              visibleLabel
              index={index}
              type="number"
              value={valueOf(sla)}
              onChange={(text) =>
                set(row.property, (old) => {
                  if (text.trim() === '') return undefined;
                  const value = Number(text);
                  return {
                    ...(old ?? { property: row.property, unit: row.units[0][0] }),
                    value: (Number.isFinite(value) ? value : text) as unknown as SlaProperty['value'],
                  };
                })
              }
            />
            <SelectField
              path={`${path}/unit`}
              label={`${row.label} unit`}
              visibleLabel
              index={index}
              value={sla?.unit ?? row.units[0][0]}
              options={row.units}
              onChange={(unit) => set(row.property, (old) => (old ? { ...old, unit } : old))}
            />
            {row.element !== 'none' ? (
              <SelectField
                path={`${path}/element`}
                label={`${row.label} column`}
                visibleLabel
                index={index}
                value={sla?.element ?? ''}
                options={[['', 'Pick a column…'], ...choices.map((e) => [e, e] as const)]}
                onChange={(element) =>
                  set(row.property, (old) => (old ? { ...old, element: element || undefined } : old))
                }
              />
            ) : null}
            <FieldMessages path={path} findings={at >= 0 ? index.at(path) : []} />
          </fieldset>
        );
      })}
    </div>
  );
}
