//! Performance marks (`performance.mark("tillit:…")`) at the steps of a page start: the wasm
//! running, hydration done, the store open, the records read, the state set. `scripts/bench`
//! reads them (`BENCH_DETAIL=1`) to say where the time goes; anyone can in the browser's
//! performance panel. They cost a timestamp each and carry no data.

pub fn mark(step: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(&format!("tillit:{step}"));
    }
}
