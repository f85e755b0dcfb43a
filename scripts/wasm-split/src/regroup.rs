//! Fewer chunk files: the split step writes one chunk per set of split points that share
//! code, 33 for Tillit, many of them under a kilobyte; the plan page fetched 16 of them before
//! it could hydrate and 13 more with the `later` split. Each is a request through the
//! service worker (a fetch event, a cache lookup, a response across three processes) and a
//! module to compile and instantiate; on a two-core phone those requests took the CPU the
//! page needed (a trace of the plan opened offline: the main module arrived 60 ms after it
//! was asked for, behind 19 other files).
//!
//! So the chunks are merged ([`crate::merge`]) into groups, each chunk in exactly one group
//! (nothing is fetched twice, nothing is in the precache twice):
//! - code shared by three or more routes, and small code shared by two, is one *common*
//!   chunk, which every route loads (a few KiB more for a route that needs less of it);
//! - code shared by two routes is one chunk per pair;
//! - code shared by one route and `later` (the split every page loads once it is up, see
//!   `app/src/later.rs`) is one chunk per route.
//!
//! `later` does not count as a route in these sets: what it shares with a route is loaded by
//! that route first anyway. The loader (JS) and the manifest are rewritten to name the
//! merged files (and the loader to fetch each file in a task of its own and instantiate it
//! from its bytes, `crate::instantiate`); a chunk merged into another is deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The split every page loads after it has hydrated (the app's `app/src/later.rs`).
const LATER: &str = "later";
/// Code shared by two routes under this size (bytes, before `wasm-opt`) goes into the
/// common chunk rather than a file of its own.
const SMALL: u64 = 2048;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Common,
    Routes(BTreeSet<String>),
}

/// Merges the chunks in `out_dir` into groups and rewrites `manifest` (split → file stems)
/// and the loader `link_name` to match. Returns how many chunk files there are now.
pub fn regroup(
    out_dir: &Path,
    link_name: &str,
    manifest: &mut BTreeMap<String, Vec<String>>,
) -> Result<usize, String> {
    let chunk_index = |stem: &str| stem.strip_prefix("chunk_").and_then(|n| n.parse::<u32>().ok());
    let mut needed_by: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    for (split, files) in manifest.iter() {
        for index in files.iter().filter_map(|f| chunk_index(f)) {
            needed_by.entry(index).or_default().insert(split.clone());
        }
    }
    let mut groups: BTreeMap<Group, Vec<u32>> = BTreeMap::new();
    for (&index, splits) in &needed_by {
        let routes: BTreeSet<String> = splits.iter().filter(|s| *s != LATER).cloned().collect();
        let size = std::fs::metadata(out_dir.join(format!("chunk_{index}.wasm")))
            .map_err(|e| format!("chunk_{index}.wasm: {e}"))?
            .len();
        let group = match routes.len() {
            // Only `later` needs it: the split step would have put it in `later` itself.
            0 => Group::Routes(splits.clone()),
            1 => Group::Routes(routes),
            2 if size >= SMALL => Group::Routes(routes),
            _ => Group::Common,
        };
        groups.entry(group).or_default().push(index);
    }

    // Every chunk → the chunk it is now in (the group's first).
    let mut moved: BTreeMap<u32, u32> = BTreeMap::new();
    for members in groups.values() {
        let first = members[0];
        for &member in members {
            moved.insert(member, first);
        }
        if members.len() == 1 {
            continue;
        }
        let path = |index: u32| out_dir.join(format!("chunk_{index}.wasm"));
        let modules = members
            .iter()
            .map(|&m| std::fs::read(path(m)).map_err(|e| format!("chunk_{m}.wasm: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let merged = crate::merge::merge(&modules).map_err(|e| format!("merging chunks {members:?}: {e}"))?;
        std::fs::write(path(first), merged).map_err(|e| format!("chunk_{first}.wasm: {e}"))?;
        for &member in &members[1..] {
            std::fs::remove_file(path(member)).map_err(|e| format!("chunk_{member}.wasm: {e}"))?;
        }
    }

    for files in manifest.values_mut() {
        let mut seen = BTreeSet::new();
        let renamed: Vec<String> = files
            .iter()
            .map(|f| match chunk_index(f) {
                Some(index) => format!("chunk_{}", moved[&index]),
                None => f.clone(),
            })
            .filter(|f| seen.insert(f.clone()))
            .collect();
        *files = renamed;
    }

    let loader = out_dir.join(link_name.trim_start_matches("./"));
    let js = std::fs::read_to_string(&loader).map_err(|e| format!("{}: {e}", loader.display()))?;
    let splits = js.matches("export const __wasm_split_load_").count();
    if splits != manifest.len() {
        return Err(format!(
            "the loader loads {splits} splits, the manifest names {}",
            manifest.len()
        ));
    }
    // The one rewrite of the loader: its dependency lists, and how it instantiates modules.
    let js = crate::instantiate::rewrite_fetchers(&rewrite_dependency_lists(&js, &moved)?)?;
    std::fs::write(&loader, js).map_err(|e| format!("{}: {e}", loader.display()))?;
    Ok(groups.len())
}

/// In the loader, each split's loader lists the chunk loaders it waits for, as
/// `[__chunk_8, __chunk_9]`: each becomes the loader of the chunk it was merged into, once.
/// Any other bracket (an empty list, an index) is left as it is.
fn rewrite_dependency_lists(js: &str, moved: &BTreeMap<u32, u32>) -> Result<String, String> {
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = rest.find(']') else { break };
        let names: Vec<&str> = rest[..close].split(',').map(str::trim).collect();
        let indices: Option<Vec<u32>> = names
            .iter()
            .map(|n| n.strip_prefix("__chunk_").and_then(|i| i.parse().ok()))
            .collect();
        let Some(indices) = indices else { continue };
        let mut seen = BTreeSet::new();
        let mut renamed = Vec::new();
        for index in indices {
            let to = *moved.get(&index).ok_or_else(|| {
                format!("the loader waits for __chunk_{index}, which the manifest does not name")
            })?;
            if seen.insert(to) {
                renamed.push(format!("__chunk_{to}"));
            }
        }
        out.push_str(&renamed.join(", "));
        rest = &rest[close..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::rewrite_dependency_lists;
    use std::collections::BTreeMap;

    #[test]
    fn dependency_lists_name_the_merged_chunks_once() {
        let moved = BTreeMap::from([(8, 8), (9, 8), (10, 10), (11, 8)]);
        let js = "const __chunk_9 = makeLoad(f, []);\nx = a[0];\nexport const l = wrapAsyncCb(makeLoad(g, [__chunk_8, __chunk_9, __chunk_10, __chunk_11]));";
        let out = rewrite_dependency_lists(js, &moved).unwrap();
        assert_eq!(
            out,
            "const __chunk_9 = makeLoad(f, []);\nx = a[0];\nexport const l = wrapAsyncCb(makeLoad(g, [__chunk_8, __chunk_10]));"
        );
    }

    #[test]
    fn an_unknown_chunk_is_an_error() {
        let err = rewrite_dependency_lists("[__chunk_8, __chunk_12]", &BTreeMap::from([(8, 8)])).unwrap_err();
        assert!(err.contains("__chunk_12"), "{err}");
    }
}
