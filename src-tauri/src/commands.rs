//! The commands the window may invoke (granted one by one in `capabilities/main.json`).

use meshport_model::product::{ProductSummary, SaveOutcome};
use serde::Serialize;
use serde_json::Value;
use tauri::State;

use crate::AppState;

/// A failed command as the UI sees it: a stable code to branch on and a message to show.
#[derive(Debug, Serialize)]
pub struct CommandError {
    code: &'static str,
    message: String,
}

impl From<meshport_core::Error> for CommandError {
    fn from(error: meshport_core::Error) -> Self {
        tracing::error!(code = error.code(), %error, "command failed");
        CommandError {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

type CommandResult<T> = Result<T, CommandError>;

#[tauri::command]
pub async fn products_list(state: State<'_, AppState>) -> CommandResult<Vec<ProductSummary>> {
    Ok(meshport_core::products_list(&state.catalog).await?)
}

#[tauri::command]
pub async fn product_create(state: State<'_, AppState>, document: Value) -> CommandResult<SaveOutcome> {
    Ok(meshport_core::product_create(&state.catalog, &state.policies, document).await?)
}
