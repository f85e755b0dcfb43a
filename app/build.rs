//! Turns `locales/{nb,en}.json` into a `Key` enum (and each page's `locales/PAGE.*.json`
//! into that page's own enum: `PlanKey`, `WheelKey`, …) with one `match` per language, so
//! that a missing or misspelt key is a compile error and both languages always hold the
//! same keys.
//!
//! The build fails, naming the key, when a file has a key the other lacks, a duplicate key,
//! an empty text, or a key that is not `snake_case`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The languages, in the order of `model::lang::Lang`; the first is the reference.
const LOCALES: [&str; 2] = ["nb", "en"];

/// Each table of texts: its files' prefix, its enum, the file it is written to. `Key` holds
/// what the frame, the crisis screen and more than one page use; each page has a table of
/// its own, so its texts land in the page's wasm chunk, not in the main module every page
/// loads (the frame's one `match` over a table reaches every text in it).
const TABLES: [(&str, &str, &str); 6] = [
    ("", "Key", "i18n_keys.rs"),
    ("checkin.", "CheckinKey", "i18n_checkin_keys.rs"),
    ("plan.", "PlanKey", "i18n_plan_keys.rs"),
    ("wheel.", "WheelKey", "i18n_wheel_keys.rs"),
    ("sharing.", "SharingKey", "i18n_sharing_keys.rs"),
    ("settings.", "SettingsKey", "i18n_settings_keys.rs"),
];

fn main() {
    // Read when the script runs, not when it was compiled: a target directory shared by two
    // checkouts reuses the compiled script, which would read the other checkout's texts.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    // A table may repeat a text of another (a page says "Lagre" too), but never differently:
    // a change of wording is made in every file that has the key, or the build fails.
    let mut seen: Vec<(&str, Vec<BTreeMap<String, String>>)> = Vec::new();
    for (prefix, name, file) in TABLES {
        let tables = generate(&dir, prefix, name, file);
        for (other_prefix, others) in &seen {
            for ((code, table), other) in LOCALES.iter().zip(&tables).zip(others) {
                for (key, text) in table {
                    if let Some(said) = other.get(key).filter(|said| *said != text) {
                        panic!(
                            "`{key}` in locales/{prefix}{code}.json says {text:?}, but locales/{other_prefix}{code}.json says {said:?}: a text in both must be the same"
                        );
                    }
                }
            }
        }
        seen.push((prefix, tables));
    }
}

/// Writes the enum of one table and gives back its texts, one map per language.
fn generate(dir: &Path, prefix: &str, name: &str, file: &str) -> Vec<BTreeMap<String, String>> {
    let tables: Vec<BTreeMap<String, String>> = LOCALES
        .iter()
        .map(|code| {
            let path = dir.join(format!("{prefix}{code}.json"));
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            parse_table(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect();

    let reference = &tables[0];
    for (code, table) in LOCALES.iter().zip(&tables).skip(1) {
        if let Some(key) = reference.keys().find(|k| !table.contains_key(*k)) {
            panic!(
                "locales/{prefix}{code}.json lacks the key `{key}` that locales/{prefix}{}.json has",
                LOCALES[0]
            );
        }
        if let Some(key) = table.keys().find(|k| !reference.contains_key(*k)) {
            panic!(
                "locales/{prefix}{code}.json has the key `{key}` that locales/{prefix}{}.json lacks",
                LOCALES[0]
            );
        }
    }

    let mut out = String::new();
    out.push_str("/// Every translatable text, one variant per key in `locales/*.json`.\n");
    writeln!(
        out,
        "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum {name} {{"
    )
    .unwrap();
    for key in reference.keys() {
        writeln!(out, "    {},", variant(key)).unwrap();
    }
    writeln!(
        out,
        "}}\n\nimpl {name} {{\n    /// The text of this key in `lang`."
    )
    .unwrap();
    out.push_str("    pub const fn text(self, lang: Lang) -> &'static str {\n        match lang {\n");
    for (code, table) in LOCALES.iter().zip(&tables) {
        let lang = match *code {
            "nb" => "Lang::Nb",
            "en" => "Lang::English",
            other => panic!("no Lang variant for {other}"),
        };
        writeln!(out, "            {lang} => match self {{").unwrap();
        for (key, text) in table {
            writeln!(out, "                {name}::{} => {:?},", variant(key), text).unwrap();
        }
        out.push_str("            },\n");
    }
    out.push_str("        }\n    }\n}\n");

    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join(file);
    std::fs::write(dest, out).unwrap();
    tables
}

/// Parses a flat `{ "key": "text" }` object, refusing duplicates (which plain JSON parsing
/// would silently resolve to the last one), empty texts and keys that are not `snake_case`.
fn parse_table(text: &str) -> Result<BTreeMap<String, String>, String> {
    let pairs: Vec<(String, serde_json::Value)> = {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let object = value.as_object().ok_or("the top level must be an object")?;
        object.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let occurrences = |key: &str| text.matches(&format!("\"{key}\":")).count();
    let mut table = BTreeMap::new();
    for (key, value) in pairs {
        let valid_key = !key.is_empty()
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid_key {
            return Err(format!("the key `{key}` is not snake_case"));
        }
        if occurrences(&key) > 1 {
            return Err(format!("the key `{key}` appears more than once"));
        }
        let text = value
            .as_str()
            .ok_or(format!("the value of `{key}` is not a string"))?;
        if text.trim().is_empty() {
            return Err(format!("the text of `{key}` is empty"));
        }
        table.insert(key, text.to_owned());
    }
    Ok(table)
}

fn variant(key: &str) -> String {
    key.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
