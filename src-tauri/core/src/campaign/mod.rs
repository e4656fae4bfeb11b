//! Campaigns: batch planning, the sending engine and the SQLite journal that records what
//! was really sent.

pub mod plan;
