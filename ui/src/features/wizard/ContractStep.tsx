import type { DataContract, ProvisioningRequest } from '../../bindings';
import { ColumnEditor } from './ColumnEditor';
import { FieldMessages, SelectField, TextField, compact, optional } from './fields';
import {
  SENSITIVITY_LEVELS,
  contractOf,
  customProperty,
  newTable,
  updateContract,
  updateTable,
  withCustomProperty,
} from './model';
import type { FindingIndex, RequestUpdate } from './model';

/** The output ports, one button each, to pick which port's contract a step shows. */
export function PortPicker({
  request,
  selected,
  onSelect,
  index,
}: {
  request: ProvisioningRequest;
  selected: number;
  onSelect: (port: number) => void;
  index: FindingIndex;
}) {
  const ports = request.product.outputPorts ?? [];
  if (ports.length < 2) return null;
  return (
    <div className="port-picker" role="group" aria-label="Output port">
      {ports.map((port, i) => {
        const contract = contractOf(request, port);
        const errors = contract
          ? index.under(`/contracts/${contract.index}`).filter((f) => f.severity === 'error').length
          : 0;
        return (
          <button
            key={i}
            type="button"
            className={`btn btn-small ${i === selected ? 'btn-primary' : ''}`}
            aria-pressed={i === selected}
            aria-label={port.name || `Port ${i + 1}`}
            onClick={() => onSelect(i)}
          >
            {port.name || `Port ${i + 1}`}
            {errors > 0 ? (
              <span className="step-errors" aria-hidden="true">
                {errors}
              </span>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}

/** The contract of the selected port, or the reason there is none to edit. */
export function selectedContract(
  request: ProvisioningRequest,
  port: number,
): { contract: DataContract; index: number; portName: string } | string {
  const ports = request.product.outputPorts ?? [];
  const selected = ports[Math.min(port, ports.length - 1)];
  if (!selected) return 'Add an output port first (step “Output ports”): each port has a contract.';
  const found = contractOf(request, selected);
  if (!found) return `The port “${selected.name}” refers to no contract of this request.`;
  return { ...found, portName: selected.name };
}

/** The contract of one output port: its tables, and the columns of each. */
export function ContractStep({
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
      <h3 className="step-subtitle">Contract of “{portName || 'the port'}”</h3>
      <TextField
        path={`${base}/description/purpose`}
        label="Purpose of the dataset"
        visibleLabel
        index={index}
        multiline
        value={contract.description?.purpose}
        onChange={(v) =>
          change((c) => {
            const description = compact({ ...c.description, purpose: optional(v) });
            return compact({ ...c, description: Object.keys(description).length > 0 ? description : undefined });
          })
        }
      />
      <DataSensitivity base={base} contract={contract} index={index} change={change} />
      <FieldMessages path={`${base}/schema`} findings={index.at(`${base}/schema`)} />
      {tables.map((table, t) => {
        const at = `${base}/schema/${t}`;
        const n = t + 1;
        return (
          <section key={t} className="table-card" aria-label={`Table ${table.name || n}`} data-testid="table-card">
            <div className="table-fields">
              <TextField
                path={`${at}/name`}
                label={`Name of table ${n}`}
                visibleLabel
                index={index}
                value={table.name}
                onChange={(name) =>
                  change((c) =>
                    updateTable(c, t, (o) => ({
                      ...o,
                      name,
                      // The physical name follows the name while the owner has not set another.
                      physicalName: !o.physicalName || o.physicalName === o.name ? name : o.physicalName,
                    })),
                  )
                }
              />
              <TextField
                path={`${at}/physicalName`}
                label={`Physical name of table ${n}`}
                visibleLabel
                index={index}
                value={table.physicalName}
                onChange={(v) => change((c) => updateTable(c, t, (o) => compact({ ...o, physicalName: optional(v) })))}
              />
              <TextField
                path={`${at}/description`}
                label={`Description of table ${n}`}
                visibleLabel
                index={index}
                value={table.description}
                onChange={(v) => change((c) => updateTable(c, t, (o) => compact({ ...o, description: optional(v) })))}
              />
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-label={`Remove table ${n}`}
                onClick={() => change((c) => ({ ...c, schema: (c.schema ?? []).filter((_, j) => j !== t) }))}
              >
                Remove table
              </button>
            </div>
            <FieldMessages path={at} findings={index.at(at)} />
            <FieldMessages path={`${at}/properties`} findings={index.at(`${at}/properties`)} />
            <ColumnEditor
              path={`${at}/properties`}
              tableName={table.name}
              columns={table.properties ?? []}
              index={index}
              onChange={(update) =>
                change((c) => updateTable(c, t, (o) => ({ ...o, properties: update(o.properties ?? []) })))
              }
            />
          </section>
        );
      })}
      <button
        type="button"
        className="btn"
        onClick={() => change((c) => ({ ...c, schema: [...(c.schema ?? []), newTable(c.schema ?? [])] }))}
      >
        Add table
      </button>
    </div>
  );
}

/** The contract's `dataSensitivity` custom property, which the platform's global pack requires. */
function DataSensitivity({
  base,
  contract,
  index,
  change,
}: {
  base: string;
  contract: DataContract;
  index: FindingIndex;
  change: (update: (c: DataContract) => DataContract) => void;
}) {
  const found = customProperty(contract, 'dataSensitivity');
  // Its finding points at the list (or the contract) until the property exists.
  const path = found ? `${base}/customProperties/${found.index}/value` : `${base}/customProperties`;
  const value = typeof found?.value === 'string' ? found.value : '';
  return (
    <>
      <SelectField
        path={path}
        label="Data sensitivity"
        visibleLabel
        index={index}
        value={value}
        options={[
          ['', 'Pick a level…'],
          ...SENSITIVITY_LEVELS.map((l) => [l, l] as const),
          ...(value && !(SENSITIVITY_LEVELS as readonly string[]).includes(value) ? [[value, value] as const] : []),
        ]}
        onChange={(v) => change((c) => withCustomProperty(c, 'dataSensitivity', v))}
      />
      {found ? null : <FieldMessages path={base} findings={index.at(base)} />}
    </>
  );
}
