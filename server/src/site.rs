//! The built browser bundle on disk, as `scripts/build` leaves it:
//!
//! ```text
//! <site root>/hash.txt                   js / wasm / css / split / manifest / crisis-js /
//!                                        crisis-wasm: <hash>
//! <site root>/pkg/tillit.<hash>.{js,wasm,css}   (+ .br and .gz beside each)
//! <site root>/pkg/__wasm_split.<hash>.js        the loader of the lazy chunks
//! <site root>/pkg/<chunk>.<hash>.wasm           one per lazy route or function, and shared ones
//! <site root>/pkg/__wasm_split_manifest.<hash>.json   chunk → files (read by Leptos, not sent)
//! <site root>/pkg/crisis.<hash>.{js,wasm}       the crisis screen's own module (crisis/)
//! <site root>/sw.js                      the service worker template (from public/)
//! <site root>/manifest.webmanifest, icons/…     copied from public/
//! ```
//!
//! At start we read the hashes (for the stylesheet link) and render the service worker: its
//! precache list is every app route plus every file of this build, and its version is a hash
//! of all of it, so a new deployment is a new worker and nothing is ever a hand-kept list.

use crate::error::StartupError;
use app::CrisisAssets;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The name `scripts/build` gives the bundle; Leptos derives the script names from it.
pub const OUTPUT_NAME: &str = "tillit";
pub const PKG_DIR: &str = "pkg";
pub const HASH_FILE: &str = "hash.txt";
pub const SERVICE_WORKER: &str = "sw.js";
/// A path no route matches: the worker caches the 404 page from here.
pub const NOT_FOUND_PATH: &str = "/404";

/// Leptos reads the split manifest on the server for its preload links; browsers never do.
const SPLIT_MANIFEST: &str = "__wasm_split_manifest.";

const VERSION_PLACEHOLDER: &str = "__TILLIT_VERSION__";
const PRECACHE_PLACEHOLDER: &str = "\"__TILLIT_PRECACHE__\"";
const NOT_FOUND_PLACEHOLDER: &str = "__TILLIT_NOT_FOUND__";

#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub stylesheet_href: String,
    /// What a first visit to the crisis screen loads (`crisis/`), when the build has it.
    pub crisis: Option<CrisisAssets>,
    /// The rendered worker script, served at `/sw.js`.
    pub service_worker: String,
    /// Short content hash of this build; the worker's cache name carries it.
    pub version: String,
}

impl Site {
    /// Reads the bundle at `root` and renders the worker for the given app routes.
    pub fn load(root: &Path, routes: &[String]) -> Result<Site, StartupError> {
        let fail = |reason: String| StartupError::Site {
            path: root.to_owned(),
            reason,
        };
        let root = std::path::absolute(root).map_err(|e| fail(e.to_string()))?;
        let hashes = std::fs::read_to_string(root.join(HASH_FILE))
            .map_err(|e| fail(format!("cannot read {HASH_FILE}: {e}")))?;
        let hash_of = |kind: &str| {
            hashes
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(k, _)| k.trim() == kind)
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| fail(format!("{HASH_FILE} has no `{kind}` line")))
        };
        let stylesheet_href = format!("/{PKG_DIR}/{OUTPUT_NAME}.{}.css", hash_of("css")?);
        for kind in ["js", "wasm"] {
            let file = root
                .join(PKG_DIR)
                .join(format!("{OUTPUT_NAME}.{}.{kind}", hash_of(kind)?));
            if !file.is_file() {
                return Err(fail(format!("{} is missing", file.display())));
            }
        }
        // A build with lazy routes names its loader and manifest; both must be there, or
        // every page but the crisis screen would fail to load its chunk.
        for (kind, prefix, suffix) in [
            ("split", "__wasm_split.", "js"),
            ("manifest", SPLIT_MANIFEST, "json"),
        ] {
            if let Ok(hash) = hash_of(kind) {
                let file = root.join(PKG_DIR).join(format!("{prefix}{hash}.{suffix}"));
                if !file.is_file() {
                    return Err(fail(format!("{} is missing", file.display())));
                }
            }
        }
        // The crisis screen's own module: optional (a site without it serves the crisis
        // screen with the whole app), but when named, it must be there.
        let crisis = match (hash_of("crisis-js"), hash_of("crisis-wasm")) {
            (Ok(js), Ok(wasm)) => {
                let href = |name: String| -> Result<String, StartupError> {
                    if !root.join(PKG_DIR).join(&name).is_file() {
                        return Err(fail(format!("{PKG_DIR}/{name} is missing")));
                    }
                    Ok(format!("/{PKG_DIR}/{name}"))
                };
                Some(CrisisAssets {
                    crisis_js: href(format!("crisis.{js}.js"))?,
                    crisis_wasm: href(format!("crisis.{wasm}.wasm"))?,
                    app_js: href(format!("{OUTPUT_NAME}.{}.js", hash_of("js")?))?,
                    app_wasm: href(format!("{OUTPUT_NAME}.{}.wasm", hash_of("wasm")?))?,
                })
            }
            _ => None,
        };
        let template = std::fs::read_to_string(root.join(SERVICE_WORKER))
            .map_err(|e| fail(format!("cannot read the service worker template: {e}")))?;
        if !template.contains(PRECACHE_PLACEHOLDER) || !template.contains(VERSION_PLACEHOLDER) {
            return Err(fail("the service worker template lacks its placeholders".into()));
        }

        let mut files = Vec::new();
        collect_files(&root, &root, &mut files).map_err(|e| fail(e.to_string()))?;
        files.sort();

        let mut digest = Sha256::new();
        digest.update(template.as_bytes());
        let mut precache: Vec<String> = routes.to_vec();
        for url in &files {
            let bytes =
                std::fs::read(root.join(url.trim_start_matches('/'))).map_err(|e| fail(e.to_string()))?;
            digest.update(url.as_bytes());
            digest.update(&bytes);
            precache.push(url.clone());
        }
        for route in routes {
            digest.update(route.as_bytes());
        }
        let version: String = digest
            .finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        let precache_json = serde_json::to_string(&precache).expect("a list of strings serializes");
        let service_worker = template
            .replace(PRECACHE_PLACEHOLDER, &precache_json)
            .replace(VERSION_PLACEHOLDER, &version)
            .replace(NOT_FOUND_PLACEHOLDER, NOT_FOUND_PATH);
        Ok(Site {
            root,
            stylesheet_href,
            crisis,
            service_worker,
            version,
        })
    }
}

/// Every file the app may need offline, as URL paths: all of the site root (every lazy
/// chunk too, so each page works offline on its first visit) except the worker itself, the
/// hash file, the split manifest and the precompressed twins (the browser gets those
/// through `Content-Encoding`, never by name).
fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
            continue;
        }
        let relative = path.strip_prefix(root).expect("walked from root");
        let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
        let skip = url == format!("/{SERVICE_WORKER}")
            || url == format!("/{HASH_FILE}")
            || url.starts_with(&format!("/{PKG_DIR}/{SPLIT_MANIFEST}"))
            || url.ends_with(".br")
            || url.ends_with(".gz");
        if !skip {
            out.push(url);
        }
    }
    Ok(())
}
