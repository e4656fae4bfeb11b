//! Contact sheets: reading spreadsheet files, cleaning phone numbers, mapping columns to
//! the robot script's template variables (`TtsParamHead`).
