//! Sharing, with consent: *Deling* (what the user shares, with whom, until when; invitation
//! codes; the consent log; *Hvem har sett hva*, the access log), and *Delt med meg*: what
//! others share with this user, read-only, kept on the phone for offline use.
//!
//! - [`page`]: the *Deling* page.
//! - [`shared_with_me`]: the *Delt med meg* page.
//! - [`content`]: what a share shows (the recipient's view, and the preview before sharing).
//! - [`invitation`]: the invitation link, and the sender's name it carries in its fragment.
//! - [`scope`]: naming what a share covers (a section of the plan, or the wheel).

pub mod content;
pub mod invitation;
pub mod page;
pub mod scope;
pub mod shared_with_me;

pub use page::SharingPage;
pub use shared_with_me::SharedWithMePage;
