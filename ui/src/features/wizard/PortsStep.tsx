import type { ProvisioningRequest } from '../../bindings';
import { FieldMessages, SelectField, TextField } from './fields';
import { addPort, removePort, updatePort } from './model';
import type { FindingIndex, RequestUpdate } from './model';

const PORT_TYPES = ['tables', 'files', 'api', 'stream'] as const;

/** The product's output ports: name, type and version; each has a contract of its own. */
export function PortsStep({
  request,
  index,
  onChange,
}: {
  request: ProvisioningRequest;
  index: FindingIndex;
  onChange: (update: RequestUpdate) => void;
}) {
  const ports = request.product.outputPorts ?? [];
  return (
    <div className="wizard-step-body">
      <p className="step-intro">
        Each output port serves one dataset with a contract of its own. The platform provisions a SQL port for every
        port of type “tables”.
      </p>
      <FieldMessages path="/product/outputPorts" findings={index.at('/product/outputPorts')} />
      {ports.length === 0 ? (
        <p className="empty">No output ports yet: a product needs at least one to serve data.</p>
      ) : null}
      <ol className="port-list">
        {ports.map((port, i) => {
          const at = `/product/outputPorts/${i}`;
          const n = i + 1;
          return (
            <li key={i} className="port-card" data-testid="port-row">
              <div className="port-fields">
                <TextField
                  path={`${at}/name`}
                  label={`Name of port ${n}`}
                  visibleLabel
                  index={index}
                  placeholder="e.g. orders"
                  value={port.name}
                  onChange={(name) => onChange((r) => updatePort(r, i, (p) => ({ ...p, name })))}
                />
                <SelectField
                  path={`${at}/type`}
                  label={`Type of port ${n}`}
                  visibleLabel
                  index={index}
                  value={port.type ?? ''}
                  options={[
                    ...PORT_TYPES.map((t) => [t, t] as const),
                    ...(port.type && !(PORT_TYPES as readonly string[]).includes(port.type)
                      ? [[port.type, port.type] as const]
                      : []),
                  ]}
                  onChange={(type) => onChange((r) => updatePort(r, i, (p) => ({ ...p, type })))}
                />
                <TextField
                  path={`${at}/version`}
                  label={`Version of port ${n}`}
                  visibleLabel
                  index={index}
                  placeholder="1.0.0"
                  value={port.version}
                  onChange={(version) => onChange((r) => updatePort(r, i, (p) => ({ ...p, version })))}
                />
              </div>
              <p className="port-contract">
                Contract <code>{port.contractId ?? '—'}</code>
              </p>
              <FieldMessages path={at} findings={index.at(at)} />
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-label={`Remove port ${n}`}
                onClick={() => onChange((r) => removePort(r, i))}
              >
                Remove
              </button>
            </li>
          );
        })}
      </ol>
      <button type="button" className="btn" onClick={() => onChange(addPort)}>
        Add output port
      </button>
    </div>
  );
}
