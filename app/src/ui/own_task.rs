//! [`InOwnTask`]: a part of the frame made and hydrated in a browser task of its own.
//!
//! **Why.** Leptos makes the whole frame (every component's body: its signals, contexts and
//! closures) and hydrates it up to the route in one browser task, and the route with the
//! rest of the page in one more. A trace of a first visit to `/` on this kind of machine
//! showed the first of them at 21 to 34 ms, two thirds of it V8 compiling each function on
//! its first call: a phone 4× slower does not answer a tap for any of it, and Lighthouse
//! counts each task's time past 50 ms (×4) as blocking. `InOwnTask::new(|| view! { … })`
//! makes its part only when it is its turn to be hydrated, in the next task, so the frame
//! is hydrated piece by piece, top to bottom (`ui::app`).
//!
//! Only in the frame, around parts with no lazy route inside (it hydrates them
//! synchronously), and only where what is around it is hydrated asynchronously anyway (the
//! router's children are: the route awaits its chunk). Anywhere else it is what it wraps:
//! on the server it renders at once, and drawn in the browser it is built at once.

use leptos::prelude::Owner;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Position, PositionState, Render, RenderHtml};

/// See the module doc.
pub struct InOwnTask<F> {
    make: F,
    // The owner it was created under (the router's): the task it is made in starts with
    // none, and what it makes (contexts read, effects, closures) belongs here.
    owner: Owner,
}

impl<F, V> InOwnTask<F>
where
    F: FnOnce() -> V,
{
    pub fn new(make: F) -> Self {
        InOwnTask {
            make,
            owner: Owner::current().unwrap_or_default(),
        }
    }

    /// Makes the view and does `with` it, both under the owner it was created under.
    fn under_owner<R>(self, with: impl FnOnce(V) -> R) -> R {
        let InOwnTask { make, owner } = self;
        owner.with(|| with(make()))
    }
}

impl<F, V> Render for InOwnTask<F>
where
    F: FnOnce() -> V,
    V: Render,
{
    type State = V::State;

    fn build(self) -> Self::State {
        self.under_owner(V::build)
    }

    fn rebuild(self, state: &mut Self::State) {
        self.under_owner(|view| view.rebuild(state));
    }
}

impl<F, V> RenderHtml for InOwnTask<F>
where
    F: FnOnce() -> V + Send + 'static,
    V: RenderHtml + 'static,
{
    type AsyncOutput = V::AsyncOutput;
    // Itself: the frame's parts own their data already ('static).
    type Owned = Self;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    // Nothing in the frame loads data: there is nothing to resolve before it is made.
    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self::AsyncOutput {
        self.under_owner(V::resolve).await
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.under_owner(|view| view.to_html_with_buf(buf, position, escape, mark_branches, extra_attrs));
    }

    fn hydrate<const FROM_SERVER: bool>(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.under_owner(|view| view.hydrate::<FROM_SERVER>(cursor, position))
    }

    async fn hydrate_async(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        #[cfg(feature = "hydrate")]
        crate::ui::hydration::next_task().await;
        self.hydrate::<true>(cursor, position)
    }

    fn into_owned(self) -> Self {
        self
    }
}

/// Nothing gives the frame's parts attributes from outside; should it, they are made at once.
impl<F, V> AddAnyAttr for InOwnTask<F>
where
    F: FnOnce() -> V + Send + 'static,
    V: RenderHtml + 'static,
{
    type Output<SomeNewAttr: Attribute> = V::Output<SomeNewAttr>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        self.under_owner(|view| view.add_any_attr(attr))
    }
}
