//! Steering a run from outside it: pause, resume, cancel, detach.

use std::sync::Arc;

use tokio::sync::{mpsc, watch};

use crate::campaign::events::EngineEvent;

/// What the user asked the run to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlCommand {
    /// Send.
    Run,
    /// Start no new batch; let in-flight ones finish; wait for `Run` or `Cancel`.
    Pause,
    /// Start no new batch; let in-flight ones finish; cancel the rest for good.
    Cancel,
    /// Start no new batch; let in-flight ones finish; end the run leaving the campaign
    /// paused, to be resumed later (the CLI's Ctrl-C, closing the app).
    Detach,
}

/// Steers a run from elsewhere (the UI, a signal handler). Cheap to clone.
#[derive(Debug, Clone)]
pub struct ControlHandle {
    tx: Arc<watch::Sender<ControlCommand>>,
}

impl Default for ControlHandle {
    fn default() -> Self {
        ControlHandle::new()
    }
}

impl ControlHandle {
    pub fn new() -> Self {
        ControlHandle {
            tx: Arc::new(watch::channel(ControlCommand::Run).0),
        }
    }

    pub fn pause(&self) {
        self.set(ControlCommand::Pause);
    }

    pub fn resume(&self) {
        self.set(ControlCommand::Run);
    }

    pub fn cancel(&self) {
        self.set(ControlCommand::Cancel);
    }

    pub fn detach(&self) {
        self.set(ControlCommand::Detach);
    }

    pub fn current(&self) -> ControlCommand {
        *self.tx.borrow()
    }

    fn set(&self, command: ControlCommand) {
        // Cancel and detach are final for a run: a late "resume" must not undo them.
        self.tx.send_if_modified(|current| {
            let last = matches!(*current, ControlCommand::Cancel | ControlCommand::Detach);
            if last || *current == command {
                return false;
            }
            *current = command;
            true
        });
    }

    pub(super) fn subscribe(&self) -> watch::Receiver<ControlCommand> {
        self.tx.subscribe()
    }
}

/// Where the events of a run go.
pub type EventSender = mpsc::UnboundedSender<EngineEvent>;
