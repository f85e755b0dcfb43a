//! `tillit-wasm-split INPUT.wasm OUT_DIR MAIN_MODULE LINK_NAME`
//!
//! Splits the wasm that cargo built (with `-C link-arg=--emit-relocs`) at Leptos's lazy
//! split points. Writes into OUT_DIR:
//! - `main.wasm`: the main module, still to be post-processed by wasm-bindgen;
//! - one `*.wasm` per split point, the chunks of code they share, merged into a few files
//!   (`regroup`, with `merge`), and the loader `LINK_NAME` (JS) that fetches them and
//!   instantiates each from its bytes (`instantiate`);
//! - `__wasm_split_manifest.json`: split name → the chunk files it needs, sorted, so the
//!   same input always gives the same bytes (the build hashes it).
//!
//! MAIN_MODULE is the URL (relative to the loader) of wasm-bindgen's JS for the main module:
//! the loader imports `initSync` from it, and it must be exactly the URL the page's hydration
//! script loads, or the browser would make a second, uninitialised instance.

mod instantiate;
mod merge;
mod regroup;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir, main_module, link_name] = args.as_slice() else {
        eprintln!("usage: tillit-wasm-split INPUT.wasm OUT_DIR MAIN_MODULE LINK_NAME");
        return ExitCode::from(2);
    };
    match run(Path::new(input), Path::new(out_dir), main_module, link_name) {
        Ok((splits, chunks)) => {
            eprintln!("wasm split: main module, {splits} split modules and {chunks} chunk files");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("wasm split failed: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(input: &Path, out_dir: &Path, main_module: &str, link_name: &str) -> Result<(usize, usize), String> {
    let wasm = std::fs::read(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    std::fs::create_dir_all(out_dir).map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let main_out = out_dir.join("main.wasm");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&wasm);
        options.output_dir = out_dir;
        options.main_out_path = &main_out;
        options.main_module = main_module;
        options.link_name = link_name;
        options
    })
    .map_err(|e| format!("{e:?}"))?;
    let mut manifest: BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    let chunks = regroup::regroup(out_dir, link_name, &mut manifest)?;
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    let path = out_dir.join("__wasm_split_manifest.json");
    std::fs::write(&path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok((manifest.len(), chunks))
}
