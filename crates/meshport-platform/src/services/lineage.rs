//! Lineage: a product's input port that names the contract of another product's output port is an
//! edge from that port to it. The ports of every published product are indexed (`lineage_ports`) when
//! it is published, so a graph is a few indexed queries per level, at any catalog size.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use meshport_model::trust::{LineageEdge, LineageGraph, LineageNode, LineagePort};
use serde_json::Value;
use sqlx::Row;

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::Store;
use crate::store::Tx;

/// Indexes the ports of a product being published, in its transaction.
pub async fn ports_index(tx: &mut Tx, product: &Value) -> Result<(), sqlx::Error> {
    let id = product.get("id").and_then(Value::as_str).unwrap_or_default();
    ports_unindex(tx, id).await?;
    for (direction, name, contract) in ports_of(product) {
        sqlx::query(
            "INSERT INTO lineage_ports (product_id, direction, port, contract_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(direction)
        .bind(name)
        .bind(contract)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The rows `lineage_ports` holds for a product: its ports that name a contract, as (direction,
/// port, contract id), each port name once per direction.
pub fn ports_of(product: &Value) -> Vec<(&'static str, &str, &str)> {
    let mut rows = Vec::new();
    for (direction, key) in [("in", "inputPorts"), ("out", "outputPorts")] {
        let mut seen = BTreeSet::new();
        for port in product.get(key).and_then(Value::as_array).into_iter().flatten() {
            let (Some(name), Some(contract)) = (
                port.get("name").and_then(Value::as_str),
                port.get("contractId").and_then(Value::as_str),
            ) else {
                continue;
            };
            // Ports are keyed by name and version; lineage needs the name once.
            if seen.insert(name) {
                rows.push((direction, name, contract));
            }
        }
    }
    rows
}

pub async fn ports_unindex(tx: &mut Tx, product_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM lineage_ports WHERE product_id = $1")
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Indexes the products published before lineage was (once per database).
pub async fn backfill(store: &Store) -> Result<(), sqlx::Error> {
    let done = sqlx::query("SELECT value FROM settings WHERE name = 'lineage_indexed'")
        .fetch_optional(store.pool())
        .await?
        .is_some();
    if done {
        return Ok(());
    }
    let mut tx = store.write().await?;
    let rows = sqlx::query("SELECT document FROM products")
        .fetch_all(&mut *tx)
        .await?;
    for row in rows {
        let text: String = row.try_get("document")?;
        if let Ok(product) = serde_json::from_str::<Value>(&text) {
            ports_index(&mut tx, &product).await?;
        }
    }
    sqlx::query(
        "INSERT INTO settings (name, value) VALUES ('lineage_indexed', '1') ON CONFLICT (name) DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// `GET /v1/lineage?product=ID&depth=N`: the products upstream and downstream of `product_id`, up to
/// `depth` steps each way, with the consumers holding access to each output port.
pub async fn graph(state: &AppState, product_id: &str, depth: u32) -> Result<LineageGraph, ApiError> {
    let mut conn = state.store().pool().acquire().await?;
    let exists = sqlx::query("SELECT id FROM products WHERE id = $1")
        .bind(product_id)
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    if !exists {
        return Err(ApiError::not_found(format!(
            "no product `{product_id}` in the catalog"
        )));
    }
    let mut distance: BTreeMap<String, i32> = BTreeMap::from([(product_id.to_owned(), 0)]);
    let mut edges: BTreeSet<(String, String, String, String, String)> = BTreeSet::new();
    for upstream in [true, false] {
        let mut queue = VecDeque::from([(product_id.to_owned(), 0u32)]);
        let mut visited = BTreeSet::from([product_id.to_owned()]);
        while let Some((current, steps)) = queue.pop_front() {
            if steps >= depth {
                continue;
            }
            // Upstream: my input ports' contracts, as other products' output ports.
            let (mine, theirs) = if upstream { ("in", "out") } else { ("out", "in") };
            let rows = sqlx::query(
                "SELECT m.port AS my_port, t.product_id AS other, t.port AS other_port, m.contract_id AS contract \
                 FROM lineage_ports m JOIN lineage_ports t ON t.contract_id = m.contract_id AND t.direction = $2 \
                 WHERE m.product_id = $1 AND m.direction = $3 AND t.product_id <> m.product_id ORDER BY other, other_port",
            )
            .bind(&current)
            .bind(theirs)
            .bind(mine)
            .fetch_all(&mut *conn)
            .await?;
            for row in rows {
                let (my_port, other, other_port, contract): (String, String, String, String) = (
                    row.try_get("my_port")?,
                    row.try_get("other")?,
                    row.try_get("other_port")?,
                    row.try_get("contract")?,
                );
                let edge = if upstream {
                    (other.clone(), other_port, current.clone(), my_port, contract)
                } else {
                    (current.clone(), my_port, other.clone(), other_port, contract)
                };
                edges.insert(edge);
                if visited.insert(other.clone()) {
                    let step = steps as i32 + 1;
                    distance
                        .entry(other.clone())
                        .or_insert(if upstream { -step } else { step });
                    queue.push_back((other, steps + 1));
                }
            }
        }
    }
    let mut nodes = Vec::new();
    for (id, distance) in &distance {
        let Some(row) = sqlx::query("SELECT name, domain FROM products WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        else {
            continue;
        };
        let ports = sqlx::query("SELECT port, contract_id FROM lineage_ports WHERE product_id = $1 AND direction = 'out' ORDER BY port")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
        let grants = sqlx::query(
            "SELECT output_port, consumer FROM access_requests WHERE product_id = $1 AND state = 'active' ORDER BY consumer",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut consumers: HashMap<String, Vec<String>> = HashMap::new();
        for grant in grants {
            let list = consumers.entry(grant.try_get("output_port")?).or_default();
            let consumer: String = grant.try_get("consumer")?;
            if !list.contains(&consumer) {
                list.push(consumer);
            }
        }
        let mut output_ports = Vec::new();
        for port in ports {
            let name: String = port.try_get("port")?;
            output_ports.push(LineagePort {
                consumers: consumers.remove(&name).unwrap_or_default(),
                contract_id: port.try_get("contract_id")?,
                name,
            });
        }
        nodes.push(LineageNode {
            product_id: id.clone(),
            name: row.try_get("name")?,
            domain: row.try_get("domain")?,
            distance: *distance,
            output_ports,
        });
    }
    nodes.sort_by(|a, b| a.distance.cmp(&b.distance).then_with(|| a.name.cmp(&b.name)));
    Ok(LineageGraph {
        product_id: product_id.to_owned(),
        depth,
        nodes,
        edges: edges
            .into_iter()
            .filter(|(from, _, to, _, _)| distance.contains_key(from) && distance.contains_key(to))
            .map(|(from, from_port, to, to_port, contract_id)| LineageEdge {
                from,
                from_port,
                to,
                to_port,
                contract_id,
            })
            .collect(),
    })
}
