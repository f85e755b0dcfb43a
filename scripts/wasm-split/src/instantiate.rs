//! How the loader instantiates a split module: from its bytes once they have all arrived
//! (`WebAssembly.instantiate`), not while they stream in (`instantiateStreaming`, which the
//! split step writes).
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

/// What the split step writes for each module, and what it becomes: `src` is the promise of
/// the module's response (fetched as soon as a split is asked for), `imports` its imports.
const STREAMING: &str = "WebAssembly.instantiateStreaming(src, imports)";
const FROM_BYTES: &str = "WebAssembly.instantiate(await (await src).arrayBuffer(), imports)";

/// Rewrites every module fetcher in the loader `js` (one per split and per chunk the split
/// step wrote, merged or not). A loader whose fetchers do not all read as expected is an
/// error, so that a split step that writes them differently fails the build instead of
/// quietly streaming again.
pub fn from_bytes(js: &str) -> Result<String, String> {
    let found = js.matches(STREAMING).count();
    let fetches = js.matches("fetch(new URL(").count();
    if found == 0 || found != fetches {
        return Err(format!(
            "the loader has {fetches} module fetches and {found} of them instantiate as expected (`{STREAMING}`)"
        ));
    }
    Ok(js.replace(STREAMING, FROM_BYTES))
}

#[cfg(test)]
mod tests {
    use super::from_bytes;

    const FETCHER: &str = "const __chunk_8 = makeLoad(() => {\n    const src = fetch(new URL(\"./chunk_8.wasm\", import.meta.url));\n    src.catch(() => {});\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}\n, []);\n";

    #[test]
    fn every_module_is_instantiated_from_its_bytes() {
        let js = format!("{FETCHER}{}", FETCHER.replace("chunk_8", "chunk_9"));
        let out = from_bytes(&js).unwrap();
        assert!(!out.contains("instantiateStreaming"), "{out}");
        assert_eq!(
            out.matches("WebAssembly.instantiate(await (await src).arrayBuffer(), imports)")
                .count(),
            2
        );
        assert!(out.contains("fetch(new URL(\"./chunk_9.wasm\""));
    }

    #[test]
    fn a_loader_written_otherwise_is_an_error() {
        let other = FETCHER.replace(
            "instantiateStreaming(src, imports)",
            "instantiateStreaming(source, imports)",
        );
        let err = from_bytes(&format!("{FETCHER}{other}")).unwrap_err();
        assert!(err.contains("2 module fetches and 1 of them"), "{err}");
        assert!(
            from_bytes("export const x = 1;").is_err(),
            "a loader without modules"
        );
    }
}
