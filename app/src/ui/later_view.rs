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
//! and 34 KiB of `hydrate_async` before `wasm-opt`). `.drawn()` erases a view into a
//! [`DrawnView`], which is only ever built. Only in what a part draws: the server renders
//! none of it. For the same reason a list in a part is drawn with [`DrawnEach::drawn_each`],
//! not `.collect_view()`, and what shows only at times with [`shown`], not `<Show>`: each is
//! then compiled once for every part, not once per type of what it holds.

use leptos::prelude::{Get, IntoView, Memo, RwSignal};
use std::sync::Arc;

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
use leptos::__reexports::send_wrapper::SendWrapper;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::types::Placeholder;
use leptos::tachys::renderer::types::{Element, Node};
use leptos::tachys::renderer::Rndr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};
use std::any::{Any, TypeId};

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
            // In the next browser task, not in hydration's (see `lib.rs`).
            crate::ui::hydration::next_task().await;
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

/// `RenderHtml` for a view that is never on the server (the page's HTML carries no user
/// data, and the server has none), so there is nothing to render there and nothing to
/// hydrate here: `LaterView` and `DrawnView`. No attributes are added to them either.
macro_rules! browser_only {
    ($view:ty => $state:ty) => {
        leptos::tachys::no_attrs!($view);

        impl RenderHtml for $view {
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

            fn hydrate<const FROM_SERVER: bool>(self, _cursor: &Cursor, _position: &PositionState) -> $state {
                // Only reachable if the server had drawn it, which it cannot: draw it, detached.
                self.build()
            }

            fn into_owned(self) -> Self {
                self
            }
        }
    };
}

browser_only!(LaterView => LaterState);

/// `.drawn()`: type erasure for a view inside a [`LaterView`], which is built and never
/// hydrated (see the module doc).
pub trait Drawn {
    fn drawn(self) -> DrawnView;
}

impl<V> Drawn for V
where
    V: RenderHtml + 'static,
    V::State: 'static,
{
    fn drawn(self) -> DrawnView {
        fn build<V: RenderHtml + 'static>(value: Box<dyn Any>) -> DrawnState
        where
            V::State: 'static,
        {
            let Ok(view) = value.downcast::<V>() else {
                unreachable!("a DrawnView holds the type it was made from")
            };
            DrawnState {
                type_id: TypeId::of::<V>(),
                state: Box::new(view.build()),
                // A view with no node of its own (`()`) still needs a place on the page,
                // for what takes its place (as `AnyView` does).
                placeholder: (!V::EXISTS).then(Rndr::create_placeholder),
            }
        }
        fn rebuild<V: RenderHtml + 'static>(value: Box<dyn Any>, state: &mut dyn Any)
        where
            V::State: 'static,
        {
            if let (Ok(view), Some(state)) = (value.downcast::<V>(), state.downcast_mut::<V::State>()) {
                view.rebuild(state);
            }
        }
        DrawnView {
            type_id: TypeId::of::<V>(),
            value: SendWrapper::new(Box::new(self)),
            build: build::<V>,
            rebuild: rebuild::<V>,
        }
    }
}

/// `.drawn_each()` instead of `.collect_view()` for a list inside a [`LaterView`]: each view
/// erased with [`Drawn::drawn`], so every such list is one type, `Vec<DrawnView>`. Tachys
/// compiles a list's building and rebuilding once per element type (about 1 KiB of code
/// each), and a list drawn in a reactive closure compiles its render effect per type too.
pub trait DrawnEach {
    fn drawn_each(self) -> Vec<DrawnView>;
}

impl<I> DrawnEach for I
where
    I: Iterator,
    I::Item: RenderHtml + 'static,
    <I::Item as Render>::State: 'static,
{
    fn drawn_each(self) -> Vec<DrawnView> {
        self.map(Drawn::drawn).collect()
    }
}

/// Instead of `<Show>` inside a [`LaterView`]: `{shown(move || open.get(), move || view! {
/// … }.drawn())}` draws what `children` returns while `when` is true, and nothing otherwise.
/// The condition is memoised, as `Show` does, so what is shown is not redrawn while it stays
/// true. `Show` compiled its memo, its effect and the hydration of its branches once per
/// use; here `when` and `children` are boxed, so all of that is compiled once.
pub fn shown(
    when: impl Fn() -> bool + Send + Sync + 'static,
    children: impl Fn() -> DrawnView + Send + Sync + 'static,
) -> impl IntoView {
    shown_boxed(Arc::new(when), Arc::new(children), None)
}

/// [`shown`] with what to draw while `when` is false (`Show`'s `fallback`).
pub fn shown_or(
    when: impl Fn() -> bool + Send + Sync + 'static,
    children: impl Fn() -> DrawnView + Send + Sync + 'static,
    fallback: impl Fn() -> DrawnView + Send + Sync + 'static,
) -> impl IntoView {
    shown_boxed(Arc::new(when), Arc::new(children), Some(Arc::new(fallback)))
}

/// Draws what `draw` returns in a browser task of its own, after the task that draws the
/// rest of the part: `{in_turn(move || view! { … }.drawn())}`. Each `in_turn` takes its turn
/// in the order the page is drawn (its `setTimeout(0)` is queued when its place is built, so
/// top to bottom), and nothing drawn in turn moves what is above it.
///
/// **Why.** A new user's plan was drawn in one task of 38 to 78 ms on this kind of machine
/// (a trace with a mark per piece: the undo bar, conflicts and empty count 8 to 21 ms, the
/// table of contents 4 to 14, the first section 3 to 14, the contacts section 12 to 14, the
/// other eight under 1 each), most of it V8 compiling each function on its first call. A
/// phone 4× slower is deaf to a tap for all of it, and Lighthouse counts every task's time
/// past 50 ms (×4) as blocking: 100 to 260 ms of it. Turns are not free: the browser may
/// lay the page out between two, so a turn is for a piece worth one (`ui::plan::body`).
pub fn in_turn(draw: impl Fn() -> DrawnView + Send + Sync + 'static) -> impl IntoView {
    in_turn_with(RwSignal::new(false), draw)
}

/// [`in_turn`] for several places that take one turn together: each is drawn once `ready`
/// is true, and the first of them to be built queues the turn that makes it so (a list's
/// rows after its first: `ui::plan::body`'s sections). Once `ready` is true, a place built
/// later (a row added) is drawn at once.
pub fn in_turn_with(
    ready: RwSignal<bool>,
    draw: impl Fn() -> DrawnView + Send + Sync + 'static,
) -> impl IntoView {
    // A memo is first computed when its place is built, not when it is made: the turn is
    // queued in the order of the page (a `<For>` makes its rows after the components
    // around it have been made). It depends on `ready` alone, which only ever turns true:
    // it is computed with `ready` false once, and that is when the turn is queued (once
    // per place: a shared `ready` is set by the first of their turns, the others find it
    // set).
    shown(
        move || {
            let now = ready.get();
            #[cfg(feature = "hydrate")]
            if !now {
                leptos::task::spawn_local(async move {
                    crate::ui::hydration::next_task().await;
                    // The part may be gone by then.
                    let _ = leptos::prelude::Set::try_set(&ready, true);
                });
            }
            now
        },
        draw,
    )
}

type Draws = Arc<dyn Fn() -> DrawnView + Send + Sync>;

fn shown_boxed(
    when: Arc<dyn Fn() -> bool + Send + Sync>,
    children: Draws,
    fallback: Option<Draws>,
) -> impl IntoView {
    // A plan of 200 items makes 200 of these (each row's editor): one memo each, as `Show`.
    let when = Memo::new(move |_| when());
    move || {
        if when.get() {
            Some(children())
        } else {
            fallback.as_ref().map(|fallback| fallback())
        }
    }
}

/// A view erased by [`Drawn::drawn`]: `AnyView` without the pointers to its hydration code
/// (and the asynchronous wrapper around it that `AnyView` compiles for every type), so
/// only building and rebuilding what it holds is compiled.
pub struct DrawnView {
    type_id: TypeId,
    value: SendWrapper<Box<dyn Any>>,
    build: fn(Box<dyn Any>) -> DrawnState,
    rebuild: fn(Box<dyn Any>, &mut dyn Any),
}

/// What a [`DrawnView`] built.
pub struct DrawnState {
    type_id: TypeId,
    state: Box<dyn Built>,
    placeholder: Option<Placeholder>,
}

/// A view's state that can be found again by its type, for rebuilding it in place.
trait Built: Mountable {
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<S: Mountable + 'static> Built for S {
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl Mountable for DrawnState {
    fn unmount(&mut self) {
        self.state.unmount();
        if let Some(placeholder) = &mut self.placeholder {
            placeholder.unmount();
        }
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        self.state.mount(parent, marker);
        if let Some(placeholder) = &mut self.placeholder {
            placeholder.mount(parent, marker);
        }
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        self.state.insert_before_this(child)
            || self
                .placeholder
                .as_ref()
                .is_some_and(|placeholder| placeholder.insert_before_this(child))
    }

    fn elements(&self) -> Vec<Element> {
        self.state.elements()
    }
}

impl Render for DrawnView {
    type State = DrawnState;

    fn build(self) -> DrawnState {
        (self.build)(self.value.take())
    }

    fn rebuild(self, state: &mut DrawnState) {
        if self.type_id == state.type_id {
            (self.rebuild)(self.value.take(), state.state.as_any_mut());
            return;
        }
        // Another type: it takes the old one's place (as `AnyView` does).
        let mut next = self.build();
        if let Some(placeholder) = &mut state.placeholder {
            placeholder.insert_before_this(&mut next);
            placeholder.unmount();
        } else {
            state.insert_before_this(&mut next);
        }
        state.unmount();
        *state = next;
    }
}

browser_only!(DrawnView => DrawnState);
