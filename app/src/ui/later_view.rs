//! [`LaterView`]: the part of a page that shows the user's own data, drawn in the browser
//! only, from code in the `later` chunk.
//!
//! **Why.** The user's plan is on the phone, not on the server, so the server's HTML for a
//! page has no place for it: the part that shows it is never hydrated, it is drawn once the
//! data has been read, after the page is up. Its code (every section, item, form and list)
//! was nonetheless in the page's chunk, which the browser must fetch before the page is
//! interactive, and Tachys compiled a hydration path for every one of its view types that
//! never ran. In the `later` chunk (`crate::later`), it arrives with the code that reads the
//! data, which the part waits for anyway: the page's first load is only its frame, and only
//! `build` and `rebuild` are compiled for the part. Measured (README, "Size"): `/` 385 → 187
//! KiB, `/hjulet` 456 → 186, every other page 3 to 9 KiB lighter, and the plan with 200
//! items shows a little sooner from the worker's cache (medians 410–457 → 355–446 ms).
//!
//! A page asks for its part with an `in_later_chunk!` function returning a `LaterView` (a
//! plain function pointer: the split step makes calls into another module go through the
//! function table), declared with [`later_part!`], passes that function to
//! [`fetch_after_hydration`], and puts
//! `move || part.get()` where it goes, as `ui::plan::page` does. Only for what the server
//! cannot render: a part the server could draw belongs in the page, hydrated, so it shows
//! before the wasm runs. The server renders every page signed out (who is signed in is
//! kept on the phone, and read by the `later` chunk), so what only a signed-in user sees
//! is such a part too: *Innsjekk*, *Deling* and the account settings draw theirs this way
//! (`checkin_signed_in`, `sharing_signed_in`, `account_signed_in`), and *Delt med meg*
//! its shares.
//!
//! Inside a part, erase a view's type with [`Drawn::drawn`], not `.erased()`: an `AnyView`
//! keeps a pointer to its view's hydration code, so `.erased()` compiled a hydration path
//! for everything under it that never runs here (in the `later` chunk, 155 KiB of `hydrate`
//! and 34 KiB of `hydrate_async` before `wasm-opt`). `.drawn()` erases a view that is only
//! ever built. Only in what a part draws: the server renders none of it.

use leptos::prelude::RwSignal;

/// Declares a page's part: `later_part!(/// docs  pub fn plan_part => draw);` is an `async fn
/// plan_part() -> LaterView` in the `later` chunk (`crate::later::in_later_chunk!`) that
/// returns `LaterView(draw)`, for [`fetch_after_hydration`]. `draw` builds the part (with
/// [`LaterView::boxed`]); being named only here, its code is in the `later` chunk too.
macro_rules! later_part {
    ($(#[$meta:meta])* $vis:vis fn $name:ident => $draw:path) => {
        $crate::later::in_later_chunk! {
            $(#[$meta])*
            $vis async fn $name() -> $crate::ui::later_view::LaterView {
                $crate::ui::later_view::LaterView($draw)
            }
        }
    };
}

pub(crate) use later_part;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::types::{Element, Node};
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::any_view::{AnyView, IntoAny};
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};

/// Holds the part once `fetch` has brought it: called once the page has hydrated, in the
/// browser only (the server never draws a part, so its signal stays empty there).
pub fn fetch_after_hydration<F>(fetch: impl FnOnce() -> F + 'static) -> RwSignal<Option<LaterView>>
where
    F: std::future::Future<Output = LaterView> + 'static,
{
    let part = RwSignal::new(None);
    #[cfg(feature = "hydrate")]
    crate::ui::hydration::after(move || {
        use leptos::prelude::Set;
        leptos::task::spawn_local(async move {
            // The page may be gone by then: nothing to show it on.
            let _ = part.try_set(Some(fetch().await));
        })
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = fetch;
    part
}

/// Draws the part and returns what keeps it on the page (reactive updates are inside it).
pub type Draw = fn() -> Box<dyn Mountable>;

/// See the module doc.
#[derive(Clone, Copy)]
pub struct LaterView(pub Draw);

impl LaterView {
    /// For a `Draw`: the state of a view, boxed.
    pub fn boxed(view: impl Render<State: 'static>) -> Box<dyn Mountable> {
        Box::new(view.build())
    }
}

/// The drawn part, and which `Draw` made it.
pub struct LaterState {
    draw: Draw,
    drawn: Box<dyn Mountable>,
}

impl Mountable for LaterState {
    fn unmount(&mut self) {
        self.drawn.unmount();
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        self.drawn.mount(parent, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        self.drawn.insert_before_this(child)
    }

    fn elements(&self) -> Vec<Element> {
        self.drawn.elements()
    }
}

impl Render for LaterView {
    type State = LaterState;

    fn build(self) -> LaterState {
        LaterState {
            draw: self.0,
            drawn: (self.0)(),
        }
    }

    fn rebuild(self, state: &mut LaterState) {
        // The same part: it keeps itself up to date. Another one takes its place.
        if std::ptr::fn_addr_eq(state.draw, self.0) {
            return;
        }
        let mut next = self.build();
        state.drawn.insert_before_this(&mut next);
        state.drawn.unmount();
        *state = next;
    }
}

leptos::tachys::no_attrs!(LaterView);

/// Never on the server: the page's HTML carries no user data (the server has none), so
/// there is nothing to render there and nothing to hydrate here.
impl RenderHtml for LaterView {
    type AsyncOutput = Self;
    type Owned = Self;

    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self {
        self
    }

    fn to_html_with_buf(
        self,
        _buf: &mut String,
        _position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
    }

    fn hydrate<const FROM_SERVER: bool>(self, _cursor: &Cursor, _position: &PositionState) -> LaterState {
        // Only reachable if the server had drawn it, which it cannot: draw it, detached.
        self.build()
    }

    fn into_owned(self) -> Self {
        self
    }
}

/// `.drawn()`: type erasure for a view inside a [`LaterView`], which is built and never
/// hydrated (see the module doc).
pub trait Drawn {
    fn drawn(self) -> AnyView;
}

impl<V> Drawn for V
where
    V: Render + Send + 'static,
    V::State: 'static,
{
    fn drawn(self) -> AnyView {
        BuildOnly(self).into_any()
    }
}

/// A view erased by [`Drawn::drawn`]: builds and rebuilds what it wraps, and nothing else.
struct BuildOnly<V>(V);

impl<V: Render> Render for BuildOnly<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state);
    }
}

/// Nothing inside a part is given attributes from outside it.
impl<V: Render + Send + 'static> AddAnyAttr for BuildOnly<V>
where
    V::State: 'static,
{
    type Output<SomeNewAttr: Attribute> = Self;

    fn add_any_attr<NewAttr: Attribute>(self, _attr: NewAttr) -> Self::Output<NewAttr> {
        self
    }
}

/// As for [`LaterView`]: never on the server, never hydrated.
impl<V: Render + Send + 'static> RenderHtml for BuildOnly<V>
where
    V::State: 'static,
{
    type AsyncOutput = Self;
    type Owned = Self;

    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self {
        self
    }

    fn to_html_with_buf(
        self,
        _buf: &mut String,
        _position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
    }

    fn hydrate<const FROM_SERVER: bool>(self, _cursor: &Cursor, _position: &PositionState) -> V::State {
        // Only reachable if the server had drawn it, which it cannot: draw it, detached.
        self.0.build()
    }

    fn into_owned(self) -> Self {
        self
    }
}
