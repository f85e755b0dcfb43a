//! What the `*Wire` structs share: each reads a tagged JSON shape (`{"kind": …, fields}`) as a
//! plain struct of its fields and checks it with `TryFrom`, instead of serde's internally
//! tagged enums, whose buffering of the input was about 48 KiB of the phone's code (see
//! `checkin::ContentWire`). These two write the errors serde would have written.

/// The field a kind needs, or serde's "missing field" error.
pub fn required<T>(value: Option<T>, field: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

/// serde's error for a kind it does not know.
pub fn unknown_kind(kind: &str, expected: &[&str]) -> String {
    let expected: Vec<String> = expected.iter().map(|k| format!("`{k}`")).collect();
    format!(
        "unknown variant `{kind}`, expected one of {}",
        expected.join(", ")
    )
}
