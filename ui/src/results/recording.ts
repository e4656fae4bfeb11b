import { convertFileSrc } from "@tauri-apps/api/core";
import type { PersonResult } from "../bindings";

/** The URI scheme Rust serves saved recordings on (`src-tauri/src/recording_protocol.rs`). */
export const RECORDING_SCHEME = "recording";

/**
 * Where the web view plays a person's saved recording: the app's own `recording:` scheme,
 * naming the person (never a path); Rust looks the file up in the journal.
 */
export function recordingSrc(p: Pick<PersonResult, "campaignId" | "batchIndex" | "position">) {
  return convertFileSrc(`${p.campaignId}-${p.batchIndex}-${p.position}`, RECORDING_SCHEME);
}
