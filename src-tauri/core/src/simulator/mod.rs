//! A local stand-in for the dyvms endpoint that verifies signatures the way Alibaba Cloud
//! does. It serves the desktop app's demo mode and every test in the workspace.
