//! The batch plan: validated contacts split into `BatchRobotSmartCall`-sized batches.
