//! Task templates: the last used task settings (the form starts from them) and the ones a
//! marketer saved by name.

use smartdial_core::task_templates::{TaskTemplate, TaskTemplates};
use smartdial_core::text::UserError;
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub fn task_templates(state: State<'_, AppState>) -> Result<TaskTemplates, UserError> {
    TaskTemplates::load(&state.paths.task_templates_file())
}

#[tauri::command]
pub fn save_task_template(
    state: State<'_, AppState>,
    name: String,
    template: TaskTemplate,
) -> Result<TaskTemplates, UserError> {
    let path = state.paths.task_templates_file();
    let mut all = TaskTemplates::load(&path)?;
    all.put(&name, template)?;
    all.save(&path)?;
    Ok(all)
}

#[tauri::command]
pub fn remove_task_template(
    state: State<'_, AppState>,
    name: String,
) -> Result<TaskTemplates, UserError> {
    let path = state.paths.task_templates_file();
    let mut all = TaskTemplates::load(&path)?;
    if all.remove(&name) {
        all.save(&path)?;
    }
    Ok(all)
}

/// Remembers what a campaign was started with; a failure only costs the convenience.
pub fn remember_last_used(state: &AppState, template: TaskTemplate) {
    let path = state.paths.task_templates_file();
    let result = TaskTemplates::load(&path).and_then(|mut all| {
        all.last_used = Some(template);
        all.save(&path)
    });
    if let Err(err) = result {
        tracing::warn!(code = %err.code, "could not remember the task settings");
    }
}
