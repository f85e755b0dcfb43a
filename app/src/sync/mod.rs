//! The client sync engine: outbox, push/pull, retry with back-off, online/offline detection.
//!
//! Empty on purpose: nothing leaves the phone until accounts and consent-based sync arrive
//! (see DESIGN.md, "Sync protocol"). The module exists so the layout is fixed from the start.
