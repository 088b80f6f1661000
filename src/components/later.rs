//! A part of a page that comes in a chunk of its own (issue 24): the page is
//! usable before it arrives. A widget whose bundle is split has a feature
//! `split-NAME` in Cargo.toml (scripts/build.sh builds it with that feature
//! and splits it); without the feature the same part is simply in the page,
//! which is what every other build (tests, clippy, `cargo check`) compiles.
//! Measured in BENCHMARKS.md, "Split bundles, and one runtime for several
//! widgets".

#[cfg(feature = "split")]
use leptos::prelude::*;
#[cfg(feature = "split")]
use leptos::wasm_split::SplitLoaderError;
#[cfg(feature = "split")]
use std::future::Future;

/// Shows the part once its chunk has loaded; if the chunk cannot be loaded
/// (the network failed), says so in its place, and the rest of the page
/// keeps working.
#[cfg(feature = "split")]
pub fn show(
    part: impl Future<Output = Result<AnyView, SplitLoaderError>> + Send + 'static,
) -> AnyView {
    Suspend::new(async move {
        part.await.unwrap_or_else(|_| {
            view! {
                <p class="error" role="alert">
                    "This part of the page could not be loaded. Check the connection and reload the page."
                </p>
            }
            .into_any()
        })
    })
    .into_any()
}

/// Wraps the view function `part`:
///
/// ```ignore
/// split_off! {
///     "split-qos", qos_notes, chunk notes_chunk, later notes_later;
///     fn notes(a: A, b: B) -> AnyView { ... }
/// }
/// ```
///
/// defines `notes` as written and `notes_later(a, b) -> AnyView`: with the
/// feature, `notes(a, b)` from the chunk `qos_notes` (code that only it
/// reaches goes there); without it, `notes(a, b)` itself. The arguments must
/// be concrete types (they cross into the chunk as a plain function call).
///
/// The second form, a function that returns nothing (an action, such as
/// what a button does), defines `part_later(a, b, failed)`: with the
/// feature it runs `part(a, b)` once the chunk is there (at once when it
/// is), or `failed()` if it cannot be loaded; without it, `part(a, b)` at
/// once.
#[macro_export]
macro_rules! split_off {
    (
        $feature:literal, $module:ident, chunk $chunk:ident, later $shown:ident;
        $(#[$meta:meta])*
        fn $part:ident($($arg:ident: $ty:ty),* $(,)?) -> AnyView $body:block
    ) => {
        $(#[$meta])*
        fn $part($($arg: $ty),*) -> AnyView $body

        #[cfg(feature = $feature)]
        #[::leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $chunk($($arg: $ty),*) -> Result<AnyView, ::leptos::wasm_split::SplitLoaderError> {
            Ok($part($($arg),*))
        }
        #[cfg(feature = $feature)]
        fn $shown($($arg: $ty),*) -> AnyView {
            $crate::components::later::show($chunk($($arg),*))
        }
        #[cfg(not(feature = $feature))]
        fn $shown($($arg: $ty),*) -> AnyView {
            $part($($arg),*)
        }
    };
    (
        $feature:literal, $module:ident, chunk $chunk:ident, later $shown:ident;
        $(#[$meta:meta])*
        fn $part:ident($($arg:ident: $ty:ty),* $(,)?) $body:block
    ) => {
        $(#[$meta])*
        fn $part($($arg: $ty),*) $body

        #[cfg(feature = $feature)]
        #[::leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $chunk($($arg: $ty),*) -> Result<(), ::leptos::wasm_split::SplitLoaderError> {
            $part($($arg),*);
            Ok(())
        }
        #[cfg(feature = $feature)]
        fn $shown($($arg: $ty,)* failed: impl FnOnce() + 'static) {
            let part = $chunk($($arg),*);
            ::leptos::task::spawn_local(async move {
                if part.await.is_err() {
                    failed();
                }
            });
        }
        #[cfg(not(feature = $feature))]
        fn $shown($($arg: $ty,)* _failed: impl FnOnce() + 'static) {
            $part($($arg),*)
        }
    };
}
