//! The adapters a platform has, chosen by port type or by name.

use std::sync::Arc;

use super::Adapter;
use super::sql::{SqlAdapter, SqlTarget};

/// The adapters installed in a platform.
#[derive(Debug, Clone)]
pub struct Adapters {
    sql: Arc<SqlAdapter>,
    all: Vec<Arc<dyn Adapter>>,
}

impl Adapters {
    /// Every adapter this platform has, building into `target`.
    pub fn new(target: SqlTarget) -> Adapters {
        let sql = Arc::new(SqlAdapter::new(target));
        let all: Vec<Arc<dyn Adapter>> = vec![sql.clone()];
        Adapters { sql, all }
    }

    /// The adapter that builds output ports of type `port_type`, if one is installed.
    pub fn for_port_type(&self, port_type: &str) -> Option<&dyn Adapter> {
        self.all
            .iter()
            .find(|a| a.port_type() == port_type)
            .map(|a| a.as_ref())
    }

    /// The adapter recorded as `name` beside what it built.
    pub fn by_name(&self, name: &str) -> Option<&dyn Adapter> {
        self.all.iter().find(|a| a.name() == name).map(|a| a.as_ref())
    }

    /// The SQL adapter, which also reads ports for quality checks and the rows endpoint.
    pub fn sql(&self) -> &SqlAdapter {
        &self.sql
    }
}
