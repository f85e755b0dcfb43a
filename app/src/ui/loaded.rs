//! [`Loaded`]: a view whose code is already in the browser, so it hydrates synchronously,
//! and [`Erase::erased`], type erasure that keeps it so.
//!
//! **Why.** A lazily loaded route hydrates asynchronously: the router awaits the route's
//! chunk, then calls `hydrate_async` on its view. Tachys implements `hydrate_async` for
//! every element, tuple, closure and list by awaiting each child's in turn (in case one
//! of them is itself lazy), so every view type in a page got a second, asynchronous copy of
//! its hydration code: a state machine per tuple, next to the plain `hydrate`, for
//! nothing, since nothing inside a page loads code of its own. Measured on the split build
//! (`scripts/wasm-sizes.mjs`): 814 KiB of the 4,004 KiB of code before `wasm-opt` was
//! `hydrate_async`. Every `AnyView` made it worse: it keeps a pointer to both versions, so
//! both exist for its whole subtree whichever is called.
//!
//! `Loaded` passes everything through to the view it wraps except `hydrate_async`, for which
//! it keeps the trait's default: hydrate synchronously, at once. Wrapped around a page (in
//! `ui::routes`) and inside every `.erased()`, the asynchronous copies are never
//! instantiated. Do not wrap anything that contains a lazy route or a lazily loaded view.

use leptos::prelude::*;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Position, PositionState, Render, RenderHtml};

/// See the module doc.
pub struct Loaded<V>(pub V);

impl<V: Render> Render for Loaded<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state);
    }
}

impl<V: RenderHtml + 'static> RenderHtml for Loaded<V> {
    type AsyncOutput = Loaded<V::AsyncOutput>;
    // Itself: what a page draws owns its data already ('static). `V::Owned` would be another
    // type for every element under it (each `&'static str` made an `Arc<str>`, each closure
    // an `Arc<Mutex<dyn FnMut>>`), with its own copy of the hydration and drawing code,
    // since `into_any` erases the owned form.
    type Owned = Self;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve();
    }

    async fn resolve(self) -> Self::AsyncOutput {
        Loaded(self.0.resolve().await)
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        self.0
            .to_html_async_with_buf::<OUT_OF_ORDER>(buf, position, escape, mark_branches, extra_attrs);
    }

    fn hydrate<const FROM_SERVER: bool>(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    // `hydrate_async`: the trait's default (synchronous `hydrate`), on purpose.

    fn into_owned(self) -> Self {
        self
    }
}

/// Nothing gives a page's views attributes from outside; should it, they lose the wrapper
/// (an attribute-added view need not be `'static`).
impl<V: AddAnyAttr + 'static> AddAnyAttr for Loaded<V> {
    type Output<SomeNewAttr: Attribute> = V::Output<SomeNewAttr>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        self.0.add_any_attr(attr)
    }
}

/// `.erased()`: `.into_any()` for views inside a page, without the asynchronous copy.
pub trait Erase {
    fn erased(self) -> AnyView;
}

impl<V> Erase for V
where
    Loaded<V>: IntoAny,
{
    fn erased(self) -> AnyView {
        Loaded(self).into_any()
    }
}
