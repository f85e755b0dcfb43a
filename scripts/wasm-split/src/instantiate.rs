//! How the loader fetches and instantiates a split module: each fetch started in a browser
//! task of its own (below), and each module instantiated from its bytes once they have all
//! arrived (`WebAssembly.instantiate`), not while they stream in (`instantiateStreaming`,
//! which the split step writes).
//!
//! **Why.** Streaming compilation decodes a module on the page's main thread as its bytes
//! arrive. From the service worker's cache or a fast connection they arrive at once, and the
//! decoding is one long task: for the `later` split (1.2 MB before compression, fetched once
//! the page is up) 28 to 35 ms on these machines, in which the page answers no tap.
//! Compiled from a buffer, V8 decodes a module off the main thread. A page's own chunks (a
//! few KiB each, needed before it works) are compiled the same way: no measurable
//! difference to when the page works. Measured (README, "Start-up", stop 30): Lighthouse's
//! blocking time on `/` down from a median of about 560 ms to about 340, the plan with 200
//! items offline as fast as before. The main module (wasm-bindgen's JS) still streams: the
//! page waits for it, and on a slow network streaming overlaps its compiling with its
//! download.
//!
//! **Each module's fetch in a task of its own.** A split asks for its chunks all at once:
//! `later`, which every page starts once it is up, for 9 files on `/`. The loader called
//! `fetch` for each in one task, 12 to 27 ms of the page's main thread here (a trace of a
//! first visit to `/`), which Lighthouse counts (× 4, less 50 ms) as 0 to 60 ms of blocking.
//! Each fetch now starts in a browser task of its own (`setTimeout(0)`), a few milliseconds
//! each, in which the page can answer a tap; they are still all asked for at once. Traced
//! first visits to `/` (`end2end/bench/trace-blocking.mjs`, eighteen per build, builds
//! alternating): blocking time as Lighthouse counts it, median 103 → 38 ms.

/// What the split step writes for each module, and what it becomes: `src` is the promise of
/// the module's response (fetched as soon as a split is asked for), `imports` its imports.
const STREAMING: &str = "WebAssembly.instantiateStreaming(src, imports)";
const FROM_BYTES: &str = "WebAssembly.instantiate(await (await src).arrayBuffer(), imports)";
/// How the split step starts each module's fetch, and what it becomes.
const FETCH: &str = "const src = fetch(new URL(";
const FETCH_END: &str = ", import.meta.url));";
const FETCH_IN_OWN_TASK: &str = "const src = inOwnTask(() => fetch(new URL(";
const FETCH_IN_OWN_TASK_END: &str = ", import.meta.url)));";
/// Appended to the loader (a function declaration: the module's code above may call it).
const IN_OWN_TASK: &str = "\n// Each module's fetch in a browser task of its own (tillit-wasm-split, instantiate.rs).\nfunction inOwnTask(start) { return new Promise((go) => setTimeout(go, 0)).then(start); }\n";

/// Rewrites every module fetcher in the loader `js` (one per split and per chunk the split
/// step wrote, merged or not). A loader whose fetchers do not all read as expected is an
/// error, so that a split step that writes them differently fails the build instead of
/// quietly streaming again.
pub fn rewrite_fetchers(js: &str) -> Result<String, String> {
    let found = js.matches(STREAMING).count();
    let fetches = js.matches("fetch(new URL(").count();
    if found == 0 || found != fetches {
        return Err(format!(
            "the loader has {fetches} module fetches and {found} of them instantiate as expected (`{STREAMING}`)"
        ));
    }
    let starts = js.matches(FETCH).count();
    let ends = js.matches(FETCH_END).count();
    if starts != fetches || ends != fetches {
        return Err(format!(
            "the loader has {fetches} module fetches, {starts} of them start as `{FETCH}` and {ends} end as `{FETCH_END}`"
        ));
    }
    let js = js
        .replace(STREAMING, FROM_BYTES)
        .replace(FETCH, FETCH_IN_OWN_TASK)
        .replace(FETCH_END, FETCH_IN_OWN_TASK_END);
    Ok(js + IN_OWN_TASK)
}

#[cfg(test)]
mod tests {
    use super::rewrite_fetchers;

    const FETCHER: &str = "const __chunk_8 = makeLoad(() => {\n    const src = fetch(new URL(\"./chunk_8.wasm\", import.meta.url));\n    src.catch(() => {});\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}\n, []);\n";

    #[test]
    fn every_module_is_instantiated_from_its_bytes() {
        let js = format!("{FETCHER}{}", FETCHER.replace("chunk_8", "chunk_9"));
        let out = rewrite_fetchers(&js).unwrap();
        assert!(!out.contains("instantiateStreaming"), "{out}");
        assert_eq!(
            out.matches("WebAssembly.instantiate(await (await src).arrayBuffer(), imports)")
                .count(),
            2
        );
        assert!(out.contains("fetch(new URL(\"./chunk_9.wasm\""));
        assert_eq!(
            out.matches("const src = inOwnTask(() => fetch(new URL(\"./chunk_")
                .count(),
            2,
            "{out}"
        );
        assert_eq!(out.matches(", import.meta.url)));").count(), 2, "{out}");
        assert!(
            out.ends_with(
                "function inOwnTask(start) { return new Promise((go) => setTimeout(go, 0)).then(start); }\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_loader_written_otherwise_is_an_error() {
        let other = FETCHER.replace(
            "instantiateStreaming(src, imports)",
            "instantiateStreaming(source, imports)",
        );
        let err = rewrite_fetchers(&format!("{FETCHER}{other}")).unwrap_err();
        assert!(err.contains("2 module fetches and 1 of them"), "{err}");
        assert!(
            rewrite_fetchers("export const x = 1;").is_err(),
            "a loader without modules"
        );
        let fetched_otherwise = FETCHER.replace("const src = fetch(", "let src = fetch(");
        let err = rewrite_fetchers(&format!("{FETCHER}{fetched_otherwise}")).unwrap_err();
        assert!(err.contains("1 of them start as"), "{err}");
    }
}
