import { useEffect, useState } from 'react';
import type { DataProduct, InputPort, SearchHit } from '../../bindings';
import { catalogProduct, searchCatalog } from '../../lib/ipc';

/**
 * Picks input ports from the offline catalog: a search over the cached products, then the output
 * ports of the one picked, each added as an input port (its name, version and contract), offline too.
 */
export function InputPortPicker({
  ports,
  onAdd,
}: {
  /** The product's input ports now: a port already read is not offered again. */
  ports: readonly InputPort[];
  onAdd: (port: InputPort) => void;
}) {
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [picked, setPicked] = useState<DataProduct | null>(null);

  useEffect(() => {
    if (text.trim() === '') return;
    let live = true;
    const timer = setTimeout(() => {
      searchCatalog({ text, limit: 8 }).then(
        (result) => live && setHits(result.hits),
        () => live && setHits([]),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text]);

  const taken = (contractId?: string) => ports.some((p) => p.contractId === contractId);
  const shown = text.trim() === '' ? [] : hits;
  return (
    <section className="input-port-picker" aria-label="Pick input ports">
      <label htmlFor="input-port-search">Input ports from the catalog</label>
      <input
        id="input-port-search"
        type="search"
        className="form-control"
        placeholder="Search the products this one reads"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setPicked(null);
        }}
      />
      {shown.length > 0 && picked === null ? (
        <ul className="picker-hits">
          {shown.map((hit) => (
            <li key={hit.id}>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                onClick={() =>
                  void catalogProduct(hit.id).then(
                    (product) => setPicked(product),
                    () => setPicked(null),
                  )
                }
              >
                {hit.name} <span className="field-help">({hit.domain})</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {picked ? (
        <ul className="picker-hits" aria-label={`Output ports of ${picked.name ?? picked.id}`}>
          {(picked.outputPorts ?? []).length === 0 ? <li className="empty">It has no output port.</li> : null}
          {(picked.outputPorts ?? []).map((port) => (
            <li key={`${port.name}@${port.version}`}>
              <button
                type="button"
                className="btn btn-small"
                disabled={!port.contractId || taken(port.contractId)}
                onClick={() => {
                  if (port.contractId) onAdd({ name: port.name, version: port.version, contractId: port.contractId });
                }}
              >
                Add {port.name} {port.version} of {picked.name ?? picked.id}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
